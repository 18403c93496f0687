#pragma once
// The web config in force, and its reloads: on SIGHUP (reload()) and when the file or one of
// the files it names changes on disk (checked every two seconds: secrets mounted by
// Kubernetes are replaced by a symlink swap that only a stat sees). A config that fails to
// load keeps the one in force, and says why in the log; the port stays up either way.

#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/basic_auth.h"
#include "http/tls_credentials.h"
#include "http/web_config.h"

namespace vnf::http {

struct WebSettings {
  std::shared_ptr<const TlsCredentials> tls;  // null: plain HTTP
  std::shared_ptr<BasicAuth> users;           // null: no basic auth
  std::vector<std::pair<std::string, std::string>> headers;

  // Throws WebConfigError.
  static std::shared_ptr<const WebSettings> load(const std::filesystem::path &file);
};

class WebSettingsSource {
 public:
  // Loads `file`; throws WebConfigError (a start-up error). Watches the files from then on.
  explicit WebSettingsSource(std::filesystem::path file);

  std::shared_ptr<const WebSettings> current() const;
  // Loads the file again; false (the old settings kept, the reason logged) if it fails.
  bool reload(const std::string &why);

 private:
  struct FileStamp {
    std::filesystem::path path;
    dev_t device = 0;
    ino_t inode = 0;
    std::int64_t mtime_ns = 0;
    off_t size = -1;
    bool operator==(const FileStamp &) const = default;
  };
  std::vector<FileStamp> stamps() const;
  void watch(std::stop_token stop);

  std::filesystem::path file_;
  WebConfig config_;  // of the settings in force: the files it names are watched
  mutable std::mutex mutex_;
  std::shared_ptr<const WebSettings> current_;
  std::vector<FileStamp> seen_;
  std::jthread watcher_;
};

}  // namespace vnf::http
