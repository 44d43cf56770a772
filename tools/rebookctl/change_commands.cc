// rebookctl changes list|watch: the change feed (docs/changes.md), one event per line.
//
//   rebookctl changes list --after 120 --office HAL-MITTE   # what happened after cursor 120
//   rebookctl changes watch --after 120 --max-events 10 --timeout 60
//
// A line: cursor, kind, appointment, status, the slot (rebooked or held) in its office's time,
// the offer and its state, and the event id. With --json each event is one JSON object per
// line. `list` ends with "next cursor N" on stderr: pass it as --after next time. `watch`
// replays what follows --after and then prints new events as they are committed, until
// --max-events were printed, --timeout passed (exit 0) or it is interrupted.
#include <iostream>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "rebook/v1/changes.grpc.pb.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/commands.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

struct ChangeOptions {
  std::int64_t after = 0;
  std::string office;
  int max_events = 0;  // 0: no limit
};

// A watch's default deadline when --timeout is not given: practically none.
constexpr int kWatchForever = 10 * 365 * 24 * 3600;

std::string SlotText(const char* label, const v1::AppointmentSlot& s) {
  std::string text = absl::StrCat(" ", label, "=", s.office(), "/", s.clerk(), "@",
                                  LocalText(s.time_zone(), s.interval().start_time().seconds()));
  if (s.confirmed_via() != v1::CONFIRMATION_CHANNEL_UNSPECIFIED) {
    absl::StrAppend(&text, " via ",
                    absl::AsciiStrToLower(v1::ConfirmationChannel_Name(s.confirmed_via())));
  }
  return text;
}

void PrintChange(const v1::Change& c, bool json) {
  if (json) {
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    std::string line;
    (void)google::protobuf::util::MessageToJsonString(c, &line, options);
    std::cout << line << "\n";
    return;
  }
  std::string line = absl::StrCat(
      c.cursor(), " ", absl::AsciiStrToLower(v1::Change::Kind_Name(c.kind())), " ", c.appointment(),
      " ", absl::AsciiStrToLower(v1::AppointmentStatus_Name(c.status())));
  if (c.has_rebooked_slot()) absl::StrAppend(&line, SlotText("rebooked", c.rebooked_slot()));
  if (c.has_held_slot()) absl::StrAppend(&line, SlotText("held", c.held_slot()));
  if (!c.offer().empty()) {
    absl::StrAppend(&line, " offer=", c.offer(), " (",
                    absl::AsciiStrToLower(v1::Offer::State_Name(c.offer_state())), ")");
  }
  absl::StrAppend(&line, " id=", c.event_id());
  std::cout << line << "\n";
}

std::string Parent(const ChangeOptions& o) {
  return o.office.empty() ? std::string("offices/-") : Qualify("offices", o.office);
}

int List(const Client& client, const ChangeOptions& o, bool json) {
  auto stub = v1::ChangeService::NewStub(client.channel());
  v1::ListChangesRequest req;
  req.set_parent(Parent(o));
  req.set_after_cursor(o.after);
  req.set_page_size(1000);
  int printed = 0;
  for (;;) {
    v1::ListChangesResponse resp;
    grpc::Status s = stub->ListChanges(client.Context().get(), req, &resp);
    if (!s.ok()) return ReportError(s);
    for (const v1::Change& c : resp.changes()) {
      if (o.max_events > 0 && printed >= o.max_events) break;
      PrintChange(c, json);
      req.set_after_cursor(c.cursor());
      ++printed;
    }
    if (o.max_events > 0 && printed >= o.max_events) break;
    // Nothing more: the feed's end (a scoped page may be empty while the cursor moves on).
    if (resp.changes().empty() && resp.next_cursor() == req.after_cursor()) break;
    req.set_after_cursor(resp.next_cursor());
  }
  std::cout.flush();
  std::cerr << "next cursor " << req.after_cursor() << "\n";
  return cli::kExitOk;
}

int Watch(const Client& client, const ChangeOptions& o, bool json) {
  auto stub = v1::ChangeService::NewStub(client.channel());
  v1::WatchChangesRequest req;
  req.set_parent(Parent(o));
  req.set_after_cursor(o.after);
  std::unique_ptr<grpc::ClientContext> ctx = client.Context(kWatchForever);
  std::unique_ptr<grpc::ClientReader<v1::WatchChangesResponse>> reader =
      stub->WatchChanges(ctx.get(), req);
  v1::WatchChangesResponse resp;
  int printed = 0;
  while (reader->Read(&resp)) {
    for (const v1::Change& c : resp.changes()) {
      PrintChange(c, json);
      if (o.max_events > 0 && ++printed >= o.max_events) {
        std::cout.flush();
        ctx->TryCancel();
        (void)reader->Finish();
        return cli::kExitOk;
      }
    }
    std::cout.flush();
  }
  grpc::Status s = reader->Finish();
  // --timeout bounds a watch: its end is no failure.
  if (s.ok() || s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) return cli::kExitOk;
  return ReportError(s);
}

void AddFlags(CLI::App* cmd, ChangeOptions& o) {
  cmd->add_option("--after", o.after, "events after this cursor (default 0: from the oldest)");
  cmd->add_option("--office", o.office, "only this office's appointments (id or name)");
  cmd->add_option("--max-events", o.max_events, "stop after this many events (default: no limit)");
}

}  // namespace

void AddChangeCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* changes =
      app.add_subcommand("changes", "The change feed: list or watch events after a cursor")
          ->require_subcommand(1);
  auto list = std::make_shared<ChangeOptions>();
  CLI::App* l = changes->add_subcommand("list", "Print the events after a cursor, oldest first");
  AddFlags(l, *list);
  l->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    *exit_code = List(*client, *list, global.json);
  });
  auto watch = std::make_shared<ChangeOptions>();
  CLI::App* w = changes->add_subcommand(
      "watch", "Print the events after a cursor, then new ones as they happen (see --timeout)");
  AddFlags(w, *watch);
  w->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    *exit_code = Watch(*client, *watch, global.json);
  });
}

}  // namespace rebook::ctl
