#include "bench/notify_drain/webhook_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

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

absl::StatusOr<std::unique_ptr<WebhookSink>> WebhookSink::Start() {
  std::unique_ptr<WebhookSink> sink(new WebhookSink());
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
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
  sink->acceptor_ = std::thread([raw] { raw->Accept(); });
  return sink;
}

WebhookSink::~WebhookSink() {
  stop_.store(true);
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(threads_mu_);
    threads.swap(connection_threads_);
  }
  for (std::thread& t : threads) t.join();
  if (listen_fd_ >= 0) close(listen_fd_);
}

void WebhookSink::Accept() {
  while (!stop_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;  // wake up regularly to notice stop_
    const int fd = accept4(listen_fd_, nullptr, nullptr, 0);
    if (fd < 0) continue;
    std::lock_guard<std::mutex> lock(threads_mu_);
    connection_threads_.emplace_back([this, fd] { Serve(fd); });
  }
}

void WebhookSink::Serve(int fd) {
  std::string pending;
  // Bounded: a benchmark connection carries at most a few thousand requests.
  for (int requests = 0; requests < 1'000'000 && !stop_.load(); ++requests) {
    if (!HandleOne(fd, pending)) break;
  }
  close(fd);
}

bool WebhookSink::HandleOne(int fd, std::string& data) {
  char buf[16384];
  std::size_t head_end = data.find("\r\n\r\n");
  std::int64_t body_length = -1;
  // Reads the head, then the body by Content-Length. Polls in 100 ms steps to notice stop_;
  // gives up on a connection silent for 5 s (the client keeps idle connections open).
  for (int idle_rounds = 0;;) {
    if (head_end != std::string::npos) {
      if (body_length < 0 &&
          !absl::SimpleAtoi(Header(data.substr(0, head_end + 2), "content-length"), &body_length)) {
        body_length = 0;
      }
      if (static_cast<std::int64_t>(data.size() - head_end - 4) >= body_length) break;
    }
    pollfd p{fd, POLLIN, 0};
    const int ready = poll(&p, 1, 100);
    if (ready < 0 || stop_.load()) return false;
    if (ready == 0) {
      if (++idle_rounds >= 50) return false;
      continue;
    }
    idle_rounds = 0;
    const ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) return false;  // the peer closed the connection
    data.append(buf, static_cast<std::size_t>(n));
    if (head_end == std::string::npos) head_end = data.find("\r\n\r\n");
  }
  const std::string head = data.substr(0, head_end + 2);
  const std::string id = Header(head, "webhook-id");
  const bool close_after = absl::AsciiStrToLower(Header(head, "connection")) == "close";
  data.erase(0, head_end + 4 + static_cast<std::size_t>(body_length));
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++ids_[id];
  }
  requests_.fetch_add(1);
  static constexpr char kKeepAlive[] =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
  static constexpr char kClose[] =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
      "Connection: close\r\n\r\n{}";
  const std::string_view answer = close_after
                                      ? std::string_view(kClose, sizeof(kClose) - 1)
                                      : std::string_view(kKeepAlive, sizeof(kKeepAlive) - 1);
  return write(fd, answer.data(), answer.size()) == static_cast<ssize_t>(answer.size()) &&
         !close_after;
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
