#include "storage/sqlite/testing/fault_vfs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "sqlite3.h"

namespace rebook::storage::sqlite_testing {
namespace {

constexpr std::int64_t kChunk = 512;

// One tracked file (database or WAL), shared by every handle open on its path.
struct TrackedFile {
  std::string path;
  FileKind kind = FileKind::kMainDb;
  int fd = -1;  // our own descriptor, to save and restore bytes outside SQLite's handles
  std::int64_t synced_size = 0;
  // Chunk index -> its bytes at the last sync (shorter than kChunk where the file ended).
  std::map<std::int64_t, std::string> undo;
  std::uint64_t last_write_seq = 0;
  std::int64_t last_write_offset = 0;
  std::int64_t last_write_len = 0;

  ~TrackedFile() {
    if (fd >= 0) ::close(fd);
  }
  std::int64_t Size() const {
    struct stat st {};
    return ::fstat(fd, &st) == 0 ? static_cast<std::int64_t>(st.st_size) : 0;
  }
  std::string ReadAt(std::int64_t offset, std::int64_t len) const {
    std::string out(static_cast<std::size_t>(len), '\0');
    ssize_t n = ::pread(fd, out.data(), out.size(), offset);
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
  }
  void WriteAt(std::int64_t offset, const std::string& bytes) const {
    if (!bytes.empty()) (void)!::pwrite(fd, bytes.data(), bytes.size(), offset);
  }
  // Saves the synced bytes of the chunks in [offset, offset + len) not saved yet.
  void SaveChunks(std::int64_t offset, std::int64_t len) {
    if (len <= 0) return;
    for (std::int64_t c = offset / kChunk; c <= (offset + len - 1) / kChunk; ++c) {
      if (!undo.contains(c)) undo.emplace(c, ReadAt(c * kChunk, kChunk));
    }
  }
};

struct FaultState {
  std::mutex mutex;
  sqlite3_vfs* real = nullptr;
  std::map<std::string, std::unique_ptr<TrackedFile>> files;
  std::uint64_t write_seq = 0;
  std::int64_t mutating_calls = 0;
  std::int64_t cut_at = 0;  // mutating_calls value at which power fails; 0: none scheduled
  PowerCutMode cut_mode = PowerCutMode::kDropUnsynced;
  bool cut_after_call = false;
  std::mt19937_64 rng;
  bool power_off = false;
  PowerCutReport last_cut;
  struct Rule {
    FaultRule rule;
    int seen = 0;
  };
  std::vector<Rule> rules;
  std::int64_t faults_injected = 0;
};

FaultState& State() {
  static FaultState* state = new FaultState();
  return *state;
}

// Undoes every unsynced change, keeping what the mode lets survive. Called with the mutex held.
void CutPower(FaultState& s) {
  s.power_off = true;
  s.cut_at = 0;
  s.last_cut = {};
  TrackedFile* last = nullptr;
  for (auto& [path, f] : s.files) {
    if (!f->undo.empty() && (last == nullptr || f->last_write_seq > last->last_write_seq)) {
      last = f.get();
    }
  }
  for (auto& [path, f] : s.files) {
    if (f->undo.empty() && f->Size() == f->synced_size) continue;
    ++s.last_cut.files;
    // What survives, read before the revert: (offset, current bytes).
    std::vector<std::pair<std::int64_t, std::string>> keep;
    if (s.cut_mode == PowerCutMode::kRandomSurvivors) {
      for (const auto& [chunk, bytes] : f->undo) {
        if (std::bernoulli_distribution(0.5)(s.rng)) {
          keep.emplace_back(chunk * kChunk, f->ReadAt(chunk * kChunk, kChunk));
          ++s.last_cut.survived_chunks;
        }
      }
    } else if (s.cut_mode == PowerCutMode::kTornLastWrite && f.get() == last &&
               f->last_write_len > 1) {
      std::int64_t torn =
          std::uniform_int_distribution<std::int64_t>(1, f->last_write_len - 1)(s.rng);
      keep.emplace_back(f->last_write_offset, f->ReadAt(f->last_write_offset, torn));
      s.last_cut.torn_bytes = torn;
    }
    for (const auto& [chunk, bytes] : f->undo) {
      if (chunk * kChunk < f->synced_size) f->WriteAt(chunk * kChunk, bytes);
    }
    s.last_cut.dropped_chunks += static_cast<std::int64_t>(f->undo.size());
    (void)!::ftruncate(f->fd, f->synced_size);
    for (const auto& [offset, bytes] : keep) f->WriteAt(offset, bytes);
    f->undo.clear();
    f->synced_size = f->Size();
  }
  s.last_cut.dropped_chunks -= s.last_cut.survived_chunks;
}

enum class Cut { kNo, kInstead, kAfter };

// Counts a mutating call and says whether power fails instead of it or right after it (the
// call completes, but its caller never hears back). Mutex held.
Cut PowerFailsNow(FaultState& s) {
  ++s.mutating_calls;
  if (s.cut_at == 0 || s.mutating_calls < s.cut_at) return Cut::kNo;
  if (s.cut_after_call) return Cut::kAfter;
  CutPower(s);
  return Cut::kInstead;
}

// The code of the first fault rule that fails this call, or SQLITE_OK. Mutex held.
int InjectedError(FaultState& s, FileKind kind, FileOp op, int eio) {
  for (FaultState::Rule& r : s.rules) {
    if (r.rule.file != kind || r.rule.op != op) continue;
    int n = ++r.seen;
    if (n > r.rule.skip && (r.rule.times < 0 || n <= r.rule.skip + r.rule.times)) {
      ++s.faults_injected;
      return r.rule.error != 0 ? r.rule.error : eio;
    }
  }
  return SQLITE_OK;
}

struct FaultFile {
  sqlite3_file base;
  TrackedFile* tracked;  // null for files other than the database and its WAL
  sqlite3_file* Real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

FaultFile* Cast(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f); }

int Close(sqlite3_file* f) { return Cast(f)->Real()->pMethods->xClose(Cast(f)->Real()); }

int Read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
  FaultFile* ff = Cast(f);
  FaultState& s = State();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.power_off) return SQLITE_IOERR_READ;
    if (ff->tracked != nullptr) {
      int rc = InjectedError(s, ff->tracked->kind, FileOp::kRead, SQLITE_IOERR_READ);
      if (rc != SQLITE_OK) return rc;
    }
  }
  return ff->Real()->pMethods->xRead(ff->Real(), buf, amount, offset);
}

int Write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
  FaultFile* ff = Cast(f);
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.power_off) return SQLITE_IOERR_WRITE;
  TrackedFile* t = ff->tracked;
  if (t == nullptr) return ff->Real()->pMethods->xWrite(ff->Real(), buf, amount, offset);
  const Cut cut = PowerFailsNow(s);
  if (cut == Cut::kInstead) return SQLITE_IOERR_WRITE;
  int rc = InjectedError(s, t->kind, FileOp::kWrite, SQLITE_IOERR_WRITE);
  if (rc != SQLITE_OK) return rc;
  t->SaveChunks(offset, amount);
  t->last_write_seq = ++s.write_seq;
  t->last_write_offset = offset;
  t->last_write_len = amount;
  rc = ff->Real()->pMethods->xWrite(ff->Real(), buf, amount, offset);
  if (cut == Cut::kNo) return rc;
  CutPower(s);
  return SQLITE_IOERR_WRITE;
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  FaultFile* ff = Cast(f);
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.power_off) return SQLITE_IOERR_TRUNCATE;
  TrackedFile* t = ff->tracked;
  if (t == nullptr) return ff->Real()->pMethods->xTruncate(ff->Real(), size);
  const Cut cut = PowerFailsNow(s);
  if (cut == Cut::kInstead) return SQLITE_IOERR_TRUNCATE;
  int rc = InjectedError(s, t->kind, FileOp::kTruncate, SQLITE_IOERR_TRUNCATE);
  if (rc != SQLITE_OK) return rc;
  t->SaveChunks(size, t->Size() - size);
  rc = ff->Real()->pMethods->xTruncate(ff->Real(), size);
  if (cut == Cut::kNo) return rc;
  CutPower(s);
  return SQLITE_IOERR_TRUNCATE;
}

int Sync(sqlite3_file* f, int flags) {
  FaultFile* ff = Cast(f);
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.power_off) return SQLITE_IOERR_FSYNC;
  TrackedFile* t = ff->tracked;
  if (t == nullptr) return ff->Real()->pMethods->xSync(ff->Real(), flags);
  const Cut cut = PowerFailsNow(s);
  if (cut == Cut::kInstead) return SQLITE_IOERR_FSYNC;
  int rc = InjectedError(s, t->kind, FileOp::kSync, SQLITE_IOERR_FSYNC);
  if (rc != SQLITE_OK) return rc;
  // No fsync: what survives a cut is decided by the simulation (see the header).
  t->undo.clear();
  t->synced_size = t->Size();
  if (cut == Cut::kNo) return SQLITE_OK;
  CutPower(s);
  return SQLITE_IOERR_FSYNC;
}

int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Cast(f)->Real()->pMethods->xFileSize(Cast(f)->Real(), size);
}
int Lock(sqlite3_file* f, int level) {
  return Cast(f)->Real()->pMethods->xLock(Cast(f)->Real(), level);
}
int Unlock(sqlite3_file* f, int level) {
  return Cast(f)->Real()->pMethods->xUnlock(Cast(f)->Real(), level);
}
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Cast(f)->Real()->pMethods->xCheckReservedLock(Cast(f)->Real(), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Cast(f)->Real()->pMethods->xFileControl(Cast(f)->Real(), op, arg);
}
int SectorSize(sqlite3_file* f) { return Cast(f)->Real()->pMethods->xSectorSize(Cast(f)->Real()); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Cast(f)->Real()->pMethods->xDeviceCharacteristics(Cast(f)->Real());
}
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Cast(f)->Real()->pMethods->xShmMap(Cast(f)->Real(), region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Cast(f)->Real()->pMethods->xShmLock(Cast(f)->Real(), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Cast(f)->Real()->pMethods->xShmBarrier(Cast(f)->Real()); }
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  return Cast(f)->Real()->pMethods->xShmUnmap(Cast(f)->Real(), delete_flag);
}
// Memory-mapped reads would bypass xRead (and its faults): always decline.
int Fetch(sqlite3_file* /*f*/, sqlite3_int64 /*offset*/, int /*amount*/, void** out) {
  *out = nullptr;
  return SQLITE_OK;
}
int Unfetch(sqlite3_file* /*f*/, sqlite3_int64 /*offset*/, void* /*p*/) { return SQLITE_OK; }

const sqlite3_io_methods kIoMethods = {3,
                                       Close,
                                       Read,
                                       Write,
                                       Truncate,
                                       Sync,
                                       FileSize,
                                       Lock,
                                       Unlock,
                                       CheckReservedLock,
                                       FileControl,
                                       SectorSize,
                                       DeviceCharacteristics,
                                       ShmMap,
                                       ShmLock,
                                       ShmBarrier,
                                       ShmUnmap,
                                       Fetch,
                                       Unfetch};

int Open(sqlite3_vfs* /*vfs*/, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  FaultState& s = State();
  FaultFile* ff = Cast(file);
  ff->base.pMethods = nullptr;
  ff->tracked = nullptr;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.power_off) return SQLITE_CANTOPEN;
  }
  int rc = s.real->xOpen(s.real, name, ff->Real(), flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  ff->base.pMethods = &kIoMethods;
  const bool main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
  if (name == nullptr || !(main_db || (flags & SQLITE_OPEN_WAL) != 0)) return SQLITE_OK;
  std::lock_guard<std::mutex> lock(s.mutex);
  std::unique_ptr<TrackedFile>& t = s.files[name];
  if (t == nullptr) {
    t = std::make_unique<TrackedFile>();
    t->path = name;
    t->kind = main_db ? FileKind::kMainDb : FileKind::kWal;
    t->fd = ::open(name, O_RDWR | O_CLOEXEC);
    t->synced_size = t->Size();
  }
  ff->tracked = t.get();
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* /*vfs*/, const char* name, int sync_dir) {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.power_off) return SQLITE_IOERR_DELETE;
  int rc = s.real->xDelete(s.real, name, sync_dir);
  if (rc == SQLITE_OK) s.files.erase(name);
  return rc;
}

int Access(sqlite3_vfs* /*vfs*/, const char* name, int flags, int* out) {
  return State().real->xAccess(State().real, name, flags, out);
}
int FullPathname(sqlite3_vfs* /*vfs*/, const char* name, int n, char* out) {
  return State().real->xFullPathname(State().real, name, n, out);
}
void* DlOpen(sqlite3_vfs* /*vfs*/, const char* name) {
  return State().real->xDlOpen(State().real, name);
}
void DlError(sqlite3_vfs* /*vfs*/, int n, char* out) {
  State().real->xDlError(State().real, n, out);
}
void (*DlSym(sqlite3_vfs* /*vfs*/, void* handle, const char* symbol))(void) {
  return State().real->xDlSym(State().real, handle, symbol);
}
void DlClose(sqlite3_vfs* /*vfs*/, void* handle) { State().real->xDlClose(State().real, handle); }
int Randomness(sqlite3_vfs* /*vfs*/, int n, char* out) {
  return State().real->xRandomness(State().real, n, out);
}
int Sleep(sqlite3_vfs* /*vfs*/, int micros) { return State().real->xSleep(State().real, micros); }
int CurrentTime(sqlite3_vfs* /*vfs*/, double* out) {
  return State().real->xCurrentTime(State().real, out);
}
int GetLastError(sqlite3_vfs* /*vfs*/, int n, char* out) {
  return State().real->xGetLastError(State().real, n, out);
}
int CurrentTimeInt64(sqlite3_vfs* /*vfs*/, sqlite3_int64* out) {
  return State().real->xCurrentTimeInt64(State().real, out);
}

}  // namespace

FaultVfs& FaultVfs::Install() {
  static FaultVfs* instance = [] {
    FaultState& s = State();
    s.real = sqlite3_vfs_find(nullptr);
    static sqlite3_vfs vfs = {};
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + s.real->szOsFile;
    vfs.mxPathname = s.real->mxPathname;
    vfs.zName = kName;
    vfs.xOpen = Open;
    vfs.xDelete = Delete;
    vfs.xAccess = Access;
    vfs.xFullPathname = FullPathname;
    vfs.xDlOpen = DlOpen;
    vfs.xDlError = DlError;
    vfs.xDlSym = DlSym;
    vfs.xDlClose = DlClose;
    vfs.xRandomness = Randomness;
    vfs.xSleep = Sleep;
    vfs.xCurrentTime = CurrentTime;
    vfs.xGetLastError = GetLastError;
    vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    sqlite3_vfs_register(&vfs, /*makeDflt=*/1);
    return new FaultVfs();
  }();
  return *instance;
}

void FaultVfs::Reset() {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.files.clear();
  s.cut_at = 0;
  s.power_off = false;
  s.last_cut = {};
  s.rules.clear();
  s.faults_injected = 0;
}

void FaultVfs::SchedulePowerCut(std::int64_t after_events, PowerCutMode mode, std::uint64_t seed,
                                bool after_call) {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.cut_at = s.mutating_calls + std::max<std::int64_t>(after_events, 1);
  s.cut_mode = mode;
  s.cut_after_call = after_call;
  s.rng.seed(seed);
}

void FaultVfs::CancelPowerCut() {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.cut_at = 0;
}

bool FaultVfs::power_is_off() const {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.power_off;
}

void FaultVfs::RestorePower() {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.power_off = false;
}

PowerCutReport FaultVfs::last_cut() const {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.last_cut;
}

std::int64_t FaultVfs::mutating_calls() const {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.mutating_calls;
}

void FaultVfs::AddFault(const FaultRule& rule) {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.rules.push_back({rule, 0});
}

void FaultVfs::ClearFaults() {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.rules.clear();
}

std::int64_t FaultVfs::faults_injected() const {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.faults_injected;
}

}  // namespace rebook::storage::sqlite_testing
