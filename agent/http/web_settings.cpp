#include "http/web_settings.h"

#include <spdlog/spdlog.h>

#include "common/stoppable_sleep.h"


namespace vnf::http {
namespace {

constexpr auto kWatchInterval = std::chrono::seconds(2);

}  // namespace

std::shared_ptr<const WebSettings> WebSettings::load(const std::filesystem::path &file) {
  const auto config = load_web_config(file);
  auto settings = std::make_shared<WebSettings>();
  if (config.tls) settings->tls = std::make_shared<const TlsCredentials>(*config.tls);
  if (!config.basic_auth_users.empty()) settings->users = std::make_shared<BasicAuth>(config.basic_auth_users);
  settings->headers.assign(config.headers.begin(), config.headers.end());
  return settings;
}

WebSettingsSource::WebSettingsSource(std::filesystem::path file)
    : file_(std::move(file)), config_(load_web_config(file_)), current_(WebSettings::load(file_)) {
  seen_ = stamps();
  spdlog::info("web config {}: {}, {} basic auth user(s), {} extra header(s)", file_.string(),
               current_->tls ? "TLS" : "no TLS", config_.basic_auth_users.size(), config_.headers.size());
  watcher_ = std::jthread([this](std::stop_token stop) { watch(stop); });
}

std::shared_ptr<const WebSettings> WebSettingsSource::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

bool WebSettingsSource::reload(const std::string &why) {
  try {
    auto config = load_web_config(file_);
    auto settings = WebSettings::load(file_);
    std::lock_guard lock(mutex_);
    // The port speaks TLS or not from its start: that switch is a restart's.
    if (static_cast<bool>(settings->tls) != static_cast<bool>(current_->tls))
      throw WebConfigError("tls_server_config was " + std::string(current_->tls ? "removed" : "added") +
                           ": that takes a restart");
    config_ = std::move(config);
    current_ = std::move(settings);
    spdlog::info("web config {} reloaded ({})", file_.string(), why);
    return true;
  } catch (const std::exception &e) {
    spdlog::error("web config {} rejected ({}), the one in force stays: {}", file_.string(), why, e.what());
    return false;
  }
}

std::vector<WebSettingsSource::FileStamp> WebSettingsSource::stamps() const {
  std::vector<std::filesystem::path> files{file_};
  {
    std::lock_guard lock(mutex_);
    if (config_.tls) files.insert(files.end(), {config_.tls->cert_file, config_.tls->key_file, config_.tls->client_ca_file});
  }
  std::vector<FileStamp> out;
  for (const auto &path : files) {
    if (path.empty()) continue;
    FileStamp stamp{path};
    struct stat st {};
    if (stat(path.c_str(), &st) == 0) {
      stamp.device = st.st_dev;
      stamp.inode = st.st_ino;
      stamp.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
      stamp.size = st.st_size;
    }
    out.push_back(stamp);
  }
  return out;
}

void WebSettingsSource::watch(std::stop_token stop) {
  while (sleep_unless_stopped(stop, kWatchInterval)) {
    std::vector<FileStamp> seen;
    {
      std::lock_guard lock(mutex_);
      seen = seen_;
    }
    const auto now = stamps();
    if (now == seen) continue;
    reload("a file changed");
    auto after = stamps();  // a rejected change is not retried until the files change again
    std::lock_guard lock(mutex_);
    seen_ = std::move(after);
  }
}

}  // namespace vnf::http
