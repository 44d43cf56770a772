#include "tests/support/test_server.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace rebook::testing {

namespace v1 = ::rebook::v1;

TestServer::TestServer(api::ServerOptions options, bool simulated_time) {
  if (simulated_time) options.simulated_clock = &clock_;
  auto rebookd = LocalRebookd::Start({.server = std::move(options),
                                      .principals = {{"admin", "admin", "*"},
                                                     {"planner", "planner", "*"},
                                                     {"clerk-a", "clerk", "A"},
                                                     {"admin-a", "office_admin", "A"},
                                                     {"clerk-b", "clerk", "B"},
                                                     {"admin-b", "office_admin", "B"},
                                                     {"notifier", "notifier", "*"},
                                                     {"auditor", "auditor", "*"}},
                                      .clock = &clock_,
                                      .ids = &ids_});
  // Without a server every test would crash on its first call: stop here with the reason.
  if (!rebookd.ok()) {
    ADD_FAILURE() << rebookd.status();
    std::abort();
  }
  rebookd_ = std::move(*rebookd);
}

v1::ImportCapacityRequest SeedCapacityRequest() {
  v1::ImportCapacityRequest req;
  for (const char* id : {"A", "B"}) {
    v1::Office* o = req.add_offices();
    o->set_name(absl::StrCat("offices/", id));
    o->set_display_name(absl::StrCat("Bürgerbüro ", id));
    o->set_state("DE-ST");
    o->set_time_zone("Europe/Berlin");
    o->set_address(absl::StrCat("Marktplatz ", id, "\n06108 Halle (Saale)"));
  }
  auto* kfz = req.add_service_types();
  kfz->set_name("serviceTypes/kfz");
  kfz->set_display_name("Kfz-Zulassung");
  kfz->set_category(v1::VEHICLE_REGISTRATION);
  kfz->set_duration_minutes(15);
  auto* auf = req.add_service_types();
  auf->set_name("serviceTypes/aufenthalt");
  auf->set_display_name("Aufenthaltstitel");
  auf->set_category(v1::IMMIGRATION);
  auf->set_duration_minutes(30);
  auto* ka = req.add_clerks();
  ka->set_name("clerks/ka");
  ka->set_display_name("K. A");
  ka->add_skills("serviceTypes/kfz");
  ka->set_home_office("offices/A");
  auto* kb = req.add_clerks();
  kb->set_name("clerks/kb");
  kb->set_display_name("K. B");
  kb->add_skills("serviceTypes/kfz");
  kb->add_skills("serviceTypes/aufenthalt");
  kb->set_home_office("offices/B");
  for (const auto& [office, clerk] : {std::pair{"A", "ka"}, std::pair{"B", "kb"}}) {
    v1::Shift* s = req.add_shifts();
    s->set_name(absl::StrCat("offices/", office, "/shifts/s1"));
    s->set_clerk(absl::StrCat("clerks/", clerk));
    s->mutable_interval()->mutable_start_time()->set_seconds(
        kOutageStart.time_since_epoch().count() + 86400);
    s->mutable_interval()->mutable_end_time()->set_seconds(kOutageStart.time_since_epoch().count() +
                                                           86400 + 8 * 3600);
    s->set_kind(v1::REGULAR);
  }
  return req;
}

void TestServer::SeedCapacity() {
  auto stub = v1::CapacityService::NewStub(channel());
  v1::ImportCapacityResponse resp;
  auto ctx = Context("admin");
  auto writer = stub->ImportCapacity(ctx.get(), &resp);
  writer->Write(SeedCapacityRequest());
  writer->WritesDone();
  grpc::Status s = writer->Finish();
  ASSERT_TRUE(s.ok()) << s.error_message();
}

v1::Appointment MakeAppointment(const std::string& office, const std::string& id, int minutes_after,
                                const std::string& service) {
  v1::Appointment a;
  a.set_name(absl::StrCat("offices/", office, "/appointments/", id));
  a.set_service_type(absl::StrCat("serviceTypes/", service));
  a.mutable_original_start_time()->set_seconds(kOutageStart.time_since_epoch().count() +
                                               60 * minutes_after);
  a.set_priority(2);
  a.mutable_contact()->set_name("Erika Mustermann");
  a.mutable_contact()->set_email("erika@example.org");
  a.mutable_contact()->set_language("de");
  return a;
}

std::vector<std::string> ViolationFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::Status rich;
  if (!rich.ParseFromString(status.error_details())) return fields;
  for (const auto& d : rich.details()) {
    google::rpc::BadRequest br;
    if (d.UnpackTo(&br)) {
      for (const auto& v : br.field_violations()) fields.push_back(v.field());
    }
  }
  return fields;
}

}  // namespace rebook::testing
