// Per-message cost of the CPU work in front of a channel: rendering all five template parts,
// building and signing a webhook body, the file channel's JSON line, fitting an SMS, and
// building an iCalendar object.
//
//   build/release/bin/bench_notify_render [--benchmark_filter=Render]
//
// Templates come from REBOOK_TEMPLATES if set, else from the source tree.
#include <cstdlib>
#include <iostream>

#include "benchmark/benchmark.h"
#include "services/notify/email/icalendar.h"
#include "services/notify/message_json.h"
#include "services/notify/message_json_text.h"
#include "services/notify/sms/sms_text.h"
#include "services/notify/template_set.h"
#include "services/notify/webhook/webhook_channel.h"
#include "services/notify/webhook/webhook_signature.h"

namespace rebook::notify {
namespace {

const TemplateSet& Templates() {
  static const TemplateSet* set = [] {
    const char* dir = std::getenv("REBOOK_TEMPLATES");
    auto loaded = TemplateSet::LoadFromDirectory(dir != nullptr ? dir : REBOOK_NOTIFY_TEMPLATES);
    if (!loaded.ok()) {
      std::cerr << loaded.status() << "\n";
      std::abort();
    }
    return new TemplateSet(*std::move(loaded));
  }();
  return *set;
}

OutgoingMessage Message(int i, MessageKind kind, const char* language) {
  OutgoingMessage m = TemplateSet::SampleMessage(kind, language);
  m.key.appointment_id = "apt-" + std::to_string(i);
  m.appointment.start += std::chrono::minutes(15 * (i % 64));
  m.appointment.end += std::chrono::minutes(15 * (i % 64));
  return m;
}

void BM_RenderOffer(benchmark::State& state) {
  const OutgoingMessage m = Message(1, MessageKind::kOffer, state.range(0) == 0 ? "de" : "en");
  for (auto _ : state) {
    auto r = Templates().Render(m);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RenderOffer)->Arg(0)->Arg(1)->ArgName("english");

void BM_RenderAllKinds(benchmark::State& state) {
  std::vector<OutgoingMessage> messages;
  for (int i = 0; i < 64; ++i) {
    messages.push_back(Message(i, kAllMessageKinds[i % 4], i % 3 == 0 ? "en-GB" : "uk-UA"));
  }
  size_t i = 0;
  for (auto _ : state) {
    auto r = Templates().Render(messages[i++ % messages.size()]);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RenderAllKinds);

void BM_WebhookBodyAndSignature(benchmark::State& state) {
  const RenderedMessage r = *Templates().Render(Message(1, MessageKind::kOffer, "de"));
  const std::string key = *ParseWebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  const Instant now = Instant(std::chrono::seconds(1769600000));
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string body = WebhookBody(r, now, /*include_contact=*/false);
    const std::string sig = SignWebhook(key, r.message.key.ToString(), 1769600000, body);
    benchmark::DoNotOptimize(sig);
    bytes += body.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_WebhookBodyAndSignature);

// The file channel's line for one rendered offer: Arg 0 builds nlohmann's document and dumps
// it (what the channel did before issue 20's seventh pass), Arg 1 writes the same bytes
// directly (AppendMessageJsonText). The two are measured in the same run, as a pair.
void BM_FileChannelLine(benchmark::State& state) {
  const RenderedMessage r = *Templates().Render(Message(1, MessageKind::kOffer, "de"));
  const bool direct = state.range(0) == 1;
  size_t bytes = 0;
  for (auto _ : state) {
    std::string line;
    if (direct) {
      line.reserve(4096);
      if (!AppendMessageJsonText(r, {}, line).ok()) state.SkipWithError("not UTF-8");
    } else {
      line = MessageToJson(r).dump();
    }
    line.push_back('\n');
    bytes += line.size();
    benchmark::DoNotOptimize(line);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_FileChannelLine)->Arg(0)->Arg(1)->ArgName("direct");

void BM_SignOnly(benchmark::State& state) {
  const std::string key = *ParseWebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  const std::string body(static_cast<size_t>(state.range(0)), 'x');
  for (auto _ : state) benchmark::DoNotOptimize(SignWebhook(key, "id", 1769600000, body));
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SignOnly)->Arg(2048)->Arg(16384);

void BM_RenderFitSms(benchmark::State& state) {
  const OutgoingMessage m = Message(1, MessageKind::kOffer, "de");
  for (auto _ : state) {
    auto r = Templates().Render(m);
    benchmark::DoNotOptimize(FitSms(r->sms, 1));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RenderFitSms);

void BM_ICalendar(benchmark::State& state) {
  const RenderedMessage r = *Templates().Render(Message(1, MessageKind::kOffer, "de"));
  const Instant now = Instant(std::chrono::seconds(1769600000));
  for (auto _ : state) benchmark::DoNotOptimize(BuildICalendar(r, now, {}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ICalendar);

}  // namespace
}  // namespace rebook::notify

BENCHMARK_MAIN();
