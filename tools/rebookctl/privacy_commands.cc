// rebookctl privacy export|erase|purge|settings: citizens' personal data (GDPR Art. 15, 17)
// and its retention. See docs/privacy.md.
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "rebook/v1/privacy.grpc.pb.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/commands.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

struct CitizenArgs {
  std::string citizen, office = "-", request_id;
};

void AddCitizenOptions(CLI::App* cmd, CitizenArgs& args) {
  cmd->add_option("citizen", args.citizen,
                  "offices/{office}/appointments/{id}, an e-mail address or a phone number")
      ->required();
  cmd->add_option("--office", args.office, "office id (default: all you may see)");
}

int Export(const Client& client, const CitizenArgs& a) {
  v1::ExportCitizenDataRequest req;
  req.set_parent(Qualify("offices", a.office));
  req.set_citizen(a.citizen);
  v1::CitizenData data;
  grpc::Status s = v1::PrivacyService::NewStub(client.channel())
                       ->ExportCitizenData(client.Context().get(), req, &data);
  if (!s.ok()) return ReportError(s);
  PrintJson(data);  // Art. 15: a copy in a commonly used, machine-readable format
  return 0;
}

int Erase(const Client& client, const CitizenArgs& a, bool json) {
  v1::EraseCitizenDataRequest req;
  req.set_parent(Qualify("offices", a.office));
  req.set_citizen(a.citizen);
  req.set_request_id(a.request_id.empty() ? NewRequestId() : a.request_id);
  v1::EraseCitizenDataResponse resp;
  grpc::Status s = client.CallWithRetry(0, [&](grpc::ClientContext* ctx) {
    return v1::PrivacyService::NewStub(client.channel())->EraseCitizenData(ctx, req, &resp);
  });
  if (!s.ok()) return ReportError(s);
  if (json) return PrintJson(resp), 0;
  for (const v1::Appointment& ap : resp.appointments()) std::cout << ap.name() << "\n";
  std::cout << "Erased the personal data of " << resp.erased_appointment_count()
            << " appointments (" << resp.appointments_size() << " found); scrubbed "
            << resp.scrubbed_offer_count() << " offers and " << resp.scrubbed_message_count()
            << " messages; deleted " << resp.deleted_stored_response_count()
            << " stored responses.\n";
  return 0;
}

int Purge(const Client& client, const std::string& office, bool json) {
  v1::PurgeExpiredDataRequest req;
  req.set_parent(Qualify("offices", office));
  v1::PurgeExpiredDataResponse resp;
  grpc::Status s = v1::PrivacyService::NewStub(client.channel())
                       ->PurgeExpiredData(client.Context().get(), req, &resp);
  if (!s.ok()) return ReportError(s);
  if (json) return PrintJson(resp), 0;
  std::cout << "Erased the personal data of " << resp.erased_appointment_count()
            << " appointments of " << resp.due_outage_count() << " closed outages past retention"
            << (resp.complete() ? "" : " (more is due: run again)") << ".\n";
  return 0;
}

int Settings(const Client& client, const std::string& office, int days, bool json) {
  const std::string name = Qualify("offices", office) + "/privacySettings";
  auto stub = v1::PrivacyService::NewStub(client.channel());
  v1::PrivacySettings settings;
  grpc::Status s;
  if (days > 0) {
    v1::UpdatePrivacySettingsRequest req;
    req.mutable_settings()->set_name(name);
    req.mutable_settings()->set_retention_days(days);
    req.set_request_id(NewRequestId());
    s = client.CallWithRetry(0, [&](grpc::ClientContext* ctx) {
      return stub->UpdatePrivacySettings(ctx, req, &settings);
    });
  } else {
    v1::GetPrivacySettingsRequest req;
    req.set_name(name);
    s = stub->GetPrivacySettings(client.Context().get(), req, &settings);
  }
  if (!s.ok()) return ReportError(s);
  if (json) return PrintJson(settings), 0;
  std::cout << settings.name() << ": personal data erased " << settings.retention_days()
            << " days after an outage is closed"
            << (settings.retention_is_default() ? " (server default)" : "") << "\n";
  return 0;
}

}  // namespace

void AddPrivacyCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* privacy =
      app.add_subcommand("privacy", "Citizens' personal data: export, erase, retention")
          ->require_subcommand(1);
  auto exp = std::make_shared<CitizenArgs>();
  CLI::App* e = privacy->add_subcommand(
      "export", "Everything stored about one citizen, as JSON (GDPR Art. 15)");
  AddCitizenOptions(e, *exp);
  e->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    *exit_code = Export(*client, *exp);
  });
  auto erase = std::make_shared<CitizenArgs>();
  CLI::App* er =
      privacy->add_subcommand("erase", "Erase one citizen's personal data (GDPR Art. 17)");
  AddCitizenOptions(er, *erase);
  er->add_option("--request-id", erase->request_id, "idempotency key (default: random)");
  er->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    *exit_code = Erase(*client, *erase, global.json);
  });
  auto purge_office = std::make_shared<std::string>("-");
  CLI::App* p = privacy->add_subcommand(
      "purge", "Erase now what retention makes due (rebookd also does it periodically)");
  p->add_option("--office", *purge_office, "office id (default: all you may see)");
  p->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    *exit_code = Purge(*client, *purge_office, global.json);
  });
  struct SettingsArgs {
    std::string office;
    int days = 0;
  };
  auto settings = std::make_shared<SettingsArgs>();
  CLI::App* st = privacy->add_subcommand("settings", "Show or set an office's retention");
  st->add_option("office", settings->office, "office id or name")->required();
  st->add_option("--retention-days", settings->days, "set the retention (1 to 3650 days)")
      ->check(CLI::Range(1, 3650));
  st->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    *exit_code = Settings(*client, settings->office, settings->days, global.json);
  });
}

}  // namespace rebook::ctl
