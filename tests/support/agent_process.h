#pragma once
// The real vnf-agent binary, started on a free loopback port and stopped with SIGTERM.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace vnf::test {

// AddressSanitizer keeps freed memory in quarantine and maps shadow for all of it, and
// ThreadSanitizer keeps shadow and history for every access: an agent built with either has an
// RSS that says nothing of its own use, so the tests' RSS bounds hold only without them (leaks
// are LeakSanitizer's to find in the AddressSanitizer build).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kRssBoundsApply = false;
#else
inline constexpr bool kRssBoundsApply = true;
#endif

struct HttpReply {
  int status = 0;  // 0: no connection
  std::string body;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

using Environment = std::vector<std::pair<std::string, std::string>>;

class AgentProcess {
 public:
  // Runs `vnf-agent run --listen 127.0.0.1:<free port> <args...>` and waits until /readyz is
  // 200, or with --web.config.file until the log says it serves (or the process exits; then
  // started() is false and log() says why).
  explicit AgentProcess(const std::vector<std::string> &args);
  // The same without --listen: the port comes from METRICS_PORT=<free port> in the environment.
  static AgentProcess with_metrics_port(const std::vector<std::string> &args);
  AgentProcess(AgentProcess &&other) noexcept;
  ~AgentProcess();
  AgentProcess(const AgentProcess &) = delete;
  AgentProcess &operator=(const AgentProcess &) = delete;

  bool started() const { return started_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::uint64_t rss_bytes() const;  // VmRSS from /proc/PID/status
  void signal(int sig) const;
  HttpReply get(const std::string &path) const;
  std::string scrape() const;  // GET /metrics; empty when not 200
  // Sends `signal`, then returns the exit code (128+signal if killed); SIGKILL after 10 s.
  int stop(int signal = 15 /* SIGTERM */);
  std::string log() const;
  std::filesystem::path socket_path() const { return private_dir_ / "agent.sock"; }

 private:
  AgentProcess(const std::vector<std::string> &args, const Environment &env);

  pid_t pid_ = -1;
  int port_ = 0;
  bool started_ = false;
  std::filesystem::path log_path_;
  std::filesystem::path private_dir_;  // journal and socket, unless the test chose them
};

// Runs the agent binary with `args` to completion (for start-up errors); kills it after `limit`.
CommandResult run_agent_command(const std::vector<std::string> &args, std::chrono::seconds limit);

// A loopback TCP port nobody listens on right now.
int free_port();

// Runs a shell command, capturing stdout and stderr.
CommandResult run_shell(const std::string &command);

}  // namespace vnf::test
