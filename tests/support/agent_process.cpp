#include "support/agent_process.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>


namespace vnf::test {
namespace {

pid_t spawn(const std::vector<std::string> &args, const std::filesystem::path &log, const Environment &env = {}) {
  std::vector<std::string> argv_store{VNF_AGENT_BINARY};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char *> argv;
  for (auto &a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    unsetenv("METRICS_PORT");
    for (const auto &[name, value] : env) setenv(name.c_str(), value.c_str(), 1);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// waitpid with a deadline; SIGKILL when it passes.
int wait_for(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return exit_code_of(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return exit_code_of(status);
}

// `run` writes a journal and a socket: keep them in a private temporary directory unless the
// test chose where, so tests never touch /var/lib/vnf-agent or /run/vnf-agent.
std::vector<std::string> with_private_state(std::vector<std::string> args, const std::filesystem::path &dir) {
  if (args.empty() || args[0] != "run") return args;
  auto given = [&](const char *flag) { return std::find(args.begin(), args.end(), flag) != args.end(); };
  if (!given("--state-dir")) args.insert(args.end(), {"--state-dir", (dir / "state").string()});
  if (!given("--socket")) args.insert(args.end(), {"--socket", (dir / "agent.sock").string()});
  return args;
}

std::filesystem::path temp_log() {
  static int counter = 0;
  return std::filesystem::temp_directory_path() /
         ("vnf-agent-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".log");
}

std::string read_file(const std::filesystem::path &path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
    throw std::runtime_error("cannot find a free port");
  close(fd);
  return ntohs(addr.sin_port);
}

AgentProcess::AgentProcess(const std::vector<std::string> &args) : AgentProcess(args, {}) {}

AgentProcess AgentProcess::with_metrics_port(const std::vector<std::string> &args) {
  return AgentProcess(args, {{"METRICS_PORT", ""}});
}

AgentProcess::AgentProcess(AgentProcess &&other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      port_(other.port_),
      started_(other.started_),
      log_path_(std::move(other.log_path_)),
      private_dir_(std::move(other.private_dir_)) {}

AgentProcess::AgentProcess(const std::vector<std::string> &args, const Environment &env)
    : port_(free_port()), log_path_(temp_log()) {
  std::vector<std::string> full{"run"};
  Environment environment = env;
  for (auto &[name, value] : environment)
    if (name == "METRICS_PORT") value = std::to_string(port_);
  if (environment.empty()) full.insert(full.end(), {"--listen", "127.0.0.1:" + std::to_string(port_)});
  full.insert(full.end(), args.begin(), args.end());
  private_dir_ = std::filesystem::path(log_path_.string() + ".d");
  pid_ = spawn(with_private_state(full, private_dir_), log_path_, environment);
  // Behind a web config the port may need TLS, a client certificate and a password: there the
  // log line that follows the first collection says ready.
  const bool web_config = std::find(args.begin(), args.end(), "--web.config.file") != args.end();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    if (web_config ? read_file(log_path_).find("serving /metrics") != std::string::npos : get("/readyz").status == 200) {
      started_ = true;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

AgentProcess::~AgentProcess() {
  stop();
  // A sanitizer's report in the agent (those builds stop at the first, and look for leaks at
  // exit) fails the test that ran it, whatever that test checked.
  const std::string text = log();
  for (const char *marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                             "WARNING: ThreadSanitizer"}) {
    if (text.find(marker) != std::string::npos) {
      ADD_FAILURE() << "the agent reported \"" << marker << "\":\n" << text;
      break;
    }
  }
  std::error_code ec;
  if (!log_path_.empty()) std::filesystem::remove(log_path_, ec);
  if (!private_dir_.empty()) std::filesystem::remove_all(private_dir_, ec);
}

HttpReply AgentProcess::get(const std::string &path) const {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(2);
  client.set_read_timeout(30);
  auto res = client.Get(path);
  if (!res) return {};
  return {res->status, res->body};
}

std::string AgentProcess::scrape() const {
  auto reply = get("/metrics");
  return reply.status == 200 ? reply.body : std::string();
}

int AgentProcess::stop(int signal) {
  if (pid_ < 0) return -1;
  kill(pid_, signal);
  int code = wait_for(pid_, std::chrono::seconds(10));
  pid_ = -1;
  return code;
}

std::string AgentProcess::log() const { return read_file(log_path_); }

std::uint64_t AgentProcess::rss_bytes() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // "VmRSS:  1234 kB"
  return 0;
}

void AgentProcess::signal(int sig) const {
  if (pid_ > 0) kill(pid_, sig);
}

CommandResult run_agent_command(const std::vector<std::string> &args, std::chrono::seconds limit) {
  auto log = temp_log();
  const std::filesystem::path dir(log.string() + ".d");
  pid_t pid = spawn(with_private_state(args, dir), log);
  CommandResult result;
  result.exit_code = wait_for(pid, limit);
  result.output = read_file(log);
  std::error_code ec;
  std::filesystem::remove(log, ec);
  std::filesystem::remove_all(dir, ec);
  return result;
}

CommandResult run_shell(const std::string &command) {
  CommandResult result;
  FILE *pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe)) result.output.append(buf.data(), n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace vnf::test
