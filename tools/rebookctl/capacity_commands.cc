// rebookctl capacity offices|services|clerks|shifts|closures|bookings
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "rebook/v1/capacity.grpc.pb.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/paging.h"
#include "tools/rebookctl/proto_text.h"
#include "tools/rebookctl/table.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

std::string OfficeOf(const std::string& name) {
  // offices/{office}/...
  std::size_t end = name.find('/', 8);
  return name.substr(8, end == std::string::npos ? std::string::npos : end - 8);
}

// Calls a List method page by page until `limit` rows are collected (kNoLimit: all of them),
// appending to `all`.
template <typename Req, typename Resp, typename Call, typename Items>
grpc::Status Fetch(const Client& /*client*/, Req req, int limit, Call call, Items items,
                   Resp* all) {
  return ListAll(std::move(req), limit, call, items, all);
}

}  // namespace

void AddCapacityCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* cap = app.add_subcommand("capacity",
                                     "Show offices, service types, clerks, shifts, "
                                     "closures and standing bookings")
                      ->require_subcommand(1);
  auto office = std::make_shared<std::string>("-");
  auto limit = std::make_shared<int>(kNoLimit);
  auto with_client = [=, &global](auto body) {
    return [=, &global] {
      auto client = Client::Connect(global);
      if (!client.ok()) return void(*exit_code = ReportError(client.status()));
      auto stub = v1::CapacityService::NewStub(client->channel());
      grpc::Status s = body(*client, *stub);
      if (!s.ok()) *exit_code = ReportError(s);
    };
  };
  auto add = [&](const char* name, const char* help) {
    CLI::App* c = cap->add_subcommand(name, help);
    c->add_option("--office", *office, "office id, or - for all yours")->capture_default_str();
    c->add_option("--limit", *limit, "at most this many rows (default: all)");
    return c;
  };

  add("offices", "Offices")->callback(with_client([=, &global](const Client& client, auto& stub) {
    v1::ListOfficesResponse all;
    grpc::Status s = Fetch(
        client, v1::ListOfficesRequest(), *limit,
        [&](const auto& r, auto* out) { return stub.ListOffices(client.Context().get(), r, out); },
        [](auto* m) { return m->mutable_offices(); }, &all);
    if (!s.ok()) return s;
    if (global.json) return PrintJson(all), grpc::Status::OK;
    Table t({"office", "name", "state", "time zone", "offer ttl", "address"});
    for (const auto& o : all.offices()) {
      std::string address = o.address();
      std::replace(address.begin(), address.end(), '\n', ',');
      t.AddRow({NameTail(o.name()), o.display_name(), o.state(), o.time_zone(),
                absl::StrCat(o.offer_ttl().seconds() / 3600, " h"), address});
    }
    t.Print(std::cout);
    return grpc::Status::OK;
  }));

  add("services", "Service types")
      ->callback(with_client([=, &global](const Client& client, auto& stub) {
        v1::ListServiceTypesResponse all;
        grpc::Status s = Fetch(
            client, v1::ListServiceTypesRequest(), *limit,
            [&](const auto& r, auto* out) {
              return stub.ListServiceTypes(client.Context().get(), r, out);
            },
            [](auto* m) { return m->mutable_service_types(); }, &all);
        if (!s.ok()) return s;
        if (global.json) return PrintJson(all), grpc::Status::OK;
        Table t({"service", "name", "category", "minutes"});
        for (const auto& x : all.service_types()) {
          t.AddRow({NameTail(x.name()), x.display_name(),
                    absl::AsciiStrToLower(v1::ServiceCategory_Name(x.category())),
                    absl::StrCat(x.duration_minutes())});
        }
        t.Print(std::cout);
        return grpc::Status::OK;
      }));

  add("clerks", "Clerks and their skills")
      ->callback(with_client([=, &global](const Client& client, auto& stub) {
        v1::ListClerksRequest req;
        if (*office != "-") req.set_office(Qualify("offices", *office));
        v1::ListClerksResponse all;
        grpc::Status s = Fetch(
            client, req, *limit,
            [&](const auto& r, auto* out) {
              return stub.ListClerks(client.Context().get(), r, out);
            },
            [](auto* m) { return m->mutable_clerks(); }, &all);
        if (!s.ok()) return s;
        if (global.json) return PrintJson(all), grpc::Status::OK;
        Table t({"clerk", "name", "home office", "skills"});
        for (const auto& c : all.clerks()) {
          std::vector<std::string> skills;
          for (const auto& sk : c.skills()) skills.push_back(NameTail(sk));
          t.AddRow({NameTail(c.name()), c.display_name(),
                    c.home_office().empty() ? "" : NameTail(c.home_office()),
                    absl::StrJoin(skills, ",")});
        }
        t.Print(std::cout);
        return grpc::Status::OK;
      }));

  add("shifts", "Shifts")->callback(with_client([=, &global](const Client& client, auto& stub) {
    v1::ListShiftsRequest req;
    req.set_parent(Qualify("offices", *office));
    v1::ListShiftsResponse all;
    grpc::Status s = Fetch(
        client, req, *limit,
        [&](const auto& r, auto* out) { return stub.ListShifts(client.Context().get(), r, out); },
        [](auto* m) { return m->mutable_shifts(); }, &all);
    if (!s.ok()) return s;
    if (global.json) return PrintJson(all), grpc::Status::OK;
    Table t({"office", "clerk", "start", "end", "kind"});
    for (const auto& x : all.shifts()) {
      t.AddRow({OfficeOf(x.name()), NameTail(x.clerk()),
                LocalText(x.time_zone(), x.interval().start_time().seconds()),
                LocalText(x.time_zone(), x.interval().end_time().seconds()),
                x.kind() == v1::OVERTIME ? "overtime" : "regular"});
    }
    t.Print(std::cout);
    return grpc::Status::OK;
  }));

  add("closures", "Closed days")
      ->callback(with_client([=, &global](const Client& client, auto& stub) {
        v1::ListClosuresRequest req;
        req.set_parent(Qualify("offices", *office));
        v1::ListClosuresResponse all;
        grpc::Status s = Fetch(
            client, req, *limit,
            [&](const auto& r, auto* out) {
              return stub.ListClosures(client.Context().get(), r, out);
            },
            [](auto* m) { return m->mutable_closures(); }, &all);
        if (!s.ok()) return s;
        if (global.json) return PrintJson(all), grpc::Status::OK;
        Table t({"office", "date", "reason"});
        for (const auto& c : all.closures()) {
          t.AddRow(
              {OfficeOf(c.name()),
               absl::StrFormat("%04d-%02d-%02d", c.date().year(), c.date().month(), c.date().day()),
               c.reason()});
        }
        t.Print(std::cout);
        return grpc::Status::OK;
      }));

  add("bookings", "Standing bookings")
      ->callback(with_client([=, &global](const Client& client, auto& stub) {
        v1::ListStandingBookingsRequest req;
        req.set_parent(Qualify("offices", *office));
        v1::ListStandingBookingsResponse all;
        grpc::Status s = Fetch(
            client, req, *limit,
            [&](const auto& r, auto* out) {
              return stub.ListStandingBookings(client.Context().get(), r, out);
            },
            [](auto* m) { return m->mutable_standing_bookings(); }, &all);
        if (!s.ok()) return s;
        if (global.json) return PrintJson(all), grpc::Status::OK;
        Table t({"office", "booking", "clerk", "start", "end"});
        for (const auto& b : all.standing_bookings()) {
          t.AddRow({OfficeOf(b.name()), NameTail(b.name()), NameTail(b.clerk()),
                    LocalText(b.time_zone(), b.interval().start_time().seconds()),
                    LocalText(b.time_zone(), b.interval().end_time().seconds())});
        }
        t.Print(std::cout);
        return grpc::Status::OK;
      }));
}

}  // namespace rebook::ctl
