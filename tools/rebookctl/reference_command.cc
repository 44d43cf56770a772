// rebookctl reference OUTAGE REF: the appointment behind a Vorgangsnummer read out on the phone
// or printed on a letter (services/domain/short_reference.h).
#include <iostream>

#include "rebook/v1/appointments.grpc.pb.h"
#include "services/domain/short_reference.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/paging.h"
#include "tools/rebookctl/proto_text.h"
#include "tools/rebookctl/table.h"

namespace rebook::ctl {

void AddReferenceCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  struct Args {
    std::string outage, reference;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "reference", "Find the appointment of a Vorgangsnummer (the short reference on letters)");
  cmd->add_option("outage", args->outage, "outage id or name")->required();
  cmd->add_option("reference", args->reference,
                  "e.g. K7QM-4T2XC (case, spaces, O/0 and I/1 do "
                  "not matter)")
      ->required();
  cmd->callback([=, &global] {
    const std::optional<std::string> wanted = domain::NormalizeShortReference(args->reference);
    if (!wanted.has_value()) {
      std::cerr << "error: " << args->reference
                << " is not a Vorgangsnummer (nine characters with a check character; a "
                   "character was misread or is missing)\n";
      return void(*exit_code = cli::kExitInvalidInput);
    }
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    namespace v1 = ::rebook::v1;
    const std::string outage = Qualify("outages", args->outage);
    const std::string outage_id = outage.substr(outage.find('/') + 1);
    v1::ListAppointmentsRequest req;
    req.set_parent("offices/-");
    req.set_outage(outage);
    v1::ListAppointmentsResponse all;
    auto stub = v1::AppointmentService::NewStub(client->channel());
    grpc::Status s = ListAll(
        req, kNoLimit,
        [&](const auto& r, auto* page) {
          return stub->ListAppointments(client->Context().get(), r, page);
        },
        [](auto* r) { return r->mutable_appointments(); }, &all);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    Table t({"appointment", "status", "original start"});
    int found = 0;
    for (const v1::Appointment& a : all.appointments()) {
      const std::string id = NameTail(a.name());
      if (domain::ShortReference(outage_id, id) != *wanted) continue;
      ++found;
      t.AddRow({a.name(), v1::AppointmentStatus_Name(a.status()),
                LocalText(a.time_zone(), a.original_start_time().seconds())});
    }
    if (found == 0) {
      std::cerr << "error: no appointment of " << outage << " has the Vorgangsnummer " << *wanted
                << "\n";
      return void(*exit_code = cli::kExitNotFound);
    }
    t.Print(std::cout);
  });
}

}  // namespace rebook::ctl
