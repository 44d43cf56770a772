#include "bench/notify_drain/webhook_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace rebook::bench {
namespace {

// The value of header `name` (lower case) in `head`, or "".
std::string Header(const std::string& head, const std::string& name) {
  const std::string lower = absl::AsciiStrToLower(head);
  const std::size_t at = lower.find("\r\n" + name + ":");
  if (at == std::string::npos) return "";
  std::size_t begin = at + 3 + name.size();
  const std::size_t end = head.find("\r\n", begin);
  while (begin < end && head[begin] == ' ') ++begin;
  return head.substr(begin, end - begin);
}

}  // namespace

absl::StatusOr<std::unique_ptr<WebhookSink>> WebhookSink::Start(int threads) {
  std::unique_ptr<WebhookSink> sink(new WebhookSink());
  // Non-blocking, so that the threads polling it do not block in accept() when another thread
  // took the connection they were woken for.
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sink->listen_fd_ = fd;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(fd, 1024) != 0) {
    return absl::UnavailableError("webhook sink: cannot listen on 127.0.0.1");
  }
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  sink->port_ = ntohs(addr.sin_port);
  WebhookSink* raw = sink.get();
  for (int i = 0; i < threads; ++i) sink->threads_.emplace_back([raw] { raw->Serve(); });
  return sink;
}

WebhookSink::~WebhookSink() {
  stop_.store(true);
  for (std::thread& t : threads_) t.join();
  if (listen_fd_ >= 0) close(listen_fd_);
}

void WebhookSink::Serve() {
  while (!stop_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;                      // wake up regularly to notice stop_
    const int fd = accept4(listen_fd_, nullptr, nullptr, 0);  // the connection blocks
    if (fd < 0) continue;
    Handle(fd);
    close(fd);
  }
}

void WebhookSink::Handle(int fd) {
  std::string data;
  char buf[16384];
  std::size_t head_end = std::string::npos;
  std::int64_t body_length = -1;
  // Reads the head, then the body by Content-Length; gives up on a slow peer after 5 s.
  for (int rounds = 0; rounds < 1000; ++rounds) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) return;
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) return;
    data.append(buf, static_cast<std::size_t>(n));
    if (head_end == std::string::npos) {
      head_end = data.find("\r\n\r\n");
      if (head_end == std::string::npos) continue;
      if (!absl::SimpleAtoi(Header(data.substr(0, head_end + 2), "content-length"), &body_length)) {
        body_length = 0;
      }
    }
    if (static_cast<std::int64_t>(data.size() - head_end - 4) >= body_length) break;
  }
  const std::string id = Header(data.substr(0, head_end + 2), "webhook-id");
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++ids_[id];
  }
  requests_.fetch_add(1);
  static constexpr char kAnswer[] =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
      "Connection: close\r\n\r\n{}";
  ssize_t ignored = write(fd, kAnswer, sizeof(kAnswer) - 1);
  (void)ignored;
}

std::int64_t WebhookSink::distinct_ids() {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<std::int64_t>(ids_.size());
}

std::int64_t WebhookSink::repeats() {
  std::lock_guard<std::mutex> lock(mu_);
  std::int64_t r = 0;
  for (const auto& [id, n] : ids_) r += n - 1;
  return r;
}

}  // namespace rebook::bench
