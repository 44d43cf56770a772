// FaultVfs: a SQLite VFS for tests that simulates power cuts and disk faults, in the manner of
// SQLite's own crash tests (src/test6.c) and fault-injecting VFS (src/test_vfs.c).
//
//   FaultVfs& vfs = FaultVfs::Install();  // now the default VFS of the process
//   vfs.SchedulePowerCut(/*after_events=*/37, PowerCutMode::kTornLastWrite, /*seed=*/7);
//   ... writes through any SQLite connection until vfs.power_is_off() ...
//   store.reset();        // the abandoned connections close; their I/O keeps failing
//   vfs.RestorePower();   // "reboot": the files now hold what survived the cut
//
// It wraps the process's default VFS (unix) and tracks the main database and WAL files. For
// each it keeps the image at the last xSync: every write or truncate after it first saves the
// bytes it replaces (in 512-byte chunks). A power cut, scheduled as the N-th mutating call
// (xWrite, xTruncate or xSync of a tracked file), happens instead of that call (or right after
// it), and then:
// - kDropUnsynced: every unsynced change is undone (the file is its last synced image);
// - kTornLastWrite: as above, but a random prefix of the last write before the cut survives
//   (a torn sector: part new, part old);
// - kRandomSurvivors: each unsynced 512-byte chunk independently survives or not (the disk
//   wrote some of its cache in any order).
// From the cut until RestorePower every read, write, truncate, sync, open and delete fails
// with an I/O error, so the abandoned connections can only close. xSync records durability
// but does not call fsync: the simulation, not the disk, decides what survives, which keeps
// thousands of cuts fast. File creation and deletion are taken as durable.
//
// Disk faults: AddFault makes chosen calls on the database or the WAL fail with a given
// SQLite code (SQLITE_IOERR_* for EIO, SQLITE_FULL for ENOSPC), as the unix VFS reports them.
// A failed xSync leaves the data unsynced.
//
// Thread-safe. One instance per process (Install); only tests link it.
#ifndef REBOOK_STORAGE_SQLITE_TESTING_FAULT_VFS_H_
#define REBOOK_STORAGE_SQLITE_TESTING_FAULT_VFS_H_

#include <cstdint>

namespace rebook::storage::sqlite_testing {

enum class FileKind { kMainDb, kWal };
enum class FileOp { kRead, kWrite, kTruncate, kSync };

struct FaultRule {
  FileKind file = FileKind::kMainDb;
  FileOp op = FileOp::kWrite;
  // Matching calls let through before the first failure.
  int skip = 0;
  // Matching calls that fail after those; -1: every later one.
  int times = -1;
  // The SQLite result code returned; 0 picks the op's EIO code (SQLITE_IOERR_READ, _WRITE,
  // _TRUNCATE, _FSYNC). SQLITE_FULL is what the unix VFS returns for ENOSPC.
  int error = 0;
};

enum class PowerCutMode { kDropUnsynced, kTornLastWrite, kRandomSurvivors };

// What the last power cut did.
struct PowerCutReport {
  int files = 0;                     // tracked files with unsynced changes
  std::int64_t dropped_chunks = 0;   // 512-byte chunks reverted to their synced image
  std::int64_t survived_chunks = 0;  // unsynced chunks kept (kRandomSurvivors)
  std::int64_t torn_bytes = 0;       // bytes of the last write kept (kTornLastWrite)
};

class FaultVfs {
 public:
  static constexpr const char* kName = "rebook-fault";

  // Registers the VFS as the process's default (once) and returns it.
  static FaultVfs& Install();

  // Forgets tracked files, faults and any power cut. No connection may be open.
  void Reset();

  // Cuts power at the `after_events`-th mutating call from now (>= 1): instead of it, or, with
  // `after_call`, right after it completed (an fsync that reached the disk, but whose caller
  // never learnt so). Either way the call fails. `seed` drives the random choices of the mode.
  void SchedulePowerCut(std::int64_t after_events, PowerCutMode mode, std::uint64_t seed,
                        bool after_call = false);
  // Cancels a scheduled cut that has not happened.
  void CancelPowerCut();
  bool power_is_off() const;
  // Ends the outage: I/O works again. Close every connection opened before the cut first.
  void RestorePower();
  PowerCutReport last_cut() const;

  // Mutating calls (xWrite, xTruncate, xSync) on tracked files so far.
  std::int64_t mutating_calls() const;

  void AddFault(const FaultRule& rule);
  void ClearFaults();
  // Calls failed by fault rules so far.
  std::int64_t faults_injected() const;

 private:
  FaultVfs() = default;
};

}  // namespace rebook::storage::sqlite_testing

#endif  // REBOOK_STORAGE_SQLITE_TESTING_FAULT_VFS_H_
