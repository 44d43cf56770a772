// rebookctl explain APPOINTMENT: "Why this slot?" in words staff can repeat on the phone.
#include <iostream>

#include "rebook/v1/appointments.grpc.pb.h"
#include "tools/rebookctl/commands.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

// "offices/X/appointments/Y", or "X/Y" for short.
std::string AppointmentName(const std::string& text) {
  if (text.rfind("offices/", 0) == 0) return text;
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) return text;
  return "offices/" + text.substr(0, slash) + "/appointments/" + text.substr(slash + 1);
}

}  // namespace

void AddExplainCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  struct Explain {
    std::string appointment, language = "de";
    bool citizen = false;
  };
  auto e = std::make_shared<Explain>();
  CLI::App* cmd = app.add_subcommand(
      "explain", "Why this slot? Why no earlier day was possible for an appointment");
  cmd->add_option("appointment", e->appointment, "offices/{office}/appointments/{id} or OFFICE/ID")
      ->required();
  cmd->add_option("--language", e->language, "de or en")
      ->check(CLI::IsMember({"de", "en"}))
      ->capture_default_str();
  cmd->add_flag("--citizen", e->citizen, "only the short sentence for the citizen");
  cmd->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::ExplainSlotRequest req;
    req.set_name(AppointmentName(e->appointment));
    req.set_language_code(e->language);
    v1::SlotExplanation resp;
    grpc::Status s = v1::AppointmentService::NewStub(client->channel())
                         ->ExplainSlot(client->Context().get(), req, &resp);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    if (e->citizen) {
      std::cout << resp.citizen_text() << "\n";
      return;
    }
    std::cout << resp.appointment() << "\n";
    for (const std::string& line : resp.staff_text()) std::cout << "  " << line << "\n";
    if (!resp.citizen_text().empty()) {
      std::cout << (e->language == "en" ? "  For the citizen: " : "  Für die Person: ")
                << resp.citizen_text() << "\n";
    }
  });
}

}  // namespace rebook::ctl
