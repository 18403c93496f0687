#pragma once
// The durable journal of scaling events: SQLite in WAL mode with full sync, in the state
// directory. An event is acknowledged only after its transaction committed, so a crash or a
// restart never loses or repeats an acknowledged event; counters resume from the journal.
// Old events are folded into per-(vnf_type, direction) totals, so the file stays bounded
// while the counts stay exact.

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hook/scaling_event.h"

struct sqlite3;

namespace vnf::hook {

struct JournalEntry {
  std::int64_t seq = 0;
  double timestamp = 0;  // seconds since the epoch
  ScalingEvent event;
};

struct ScalingTotals {
  std::map<std::pair<std::string, std::string>, std::uint64_t> actions;  // (vnf_type, direction)
  std::map<std::string, double> last_action;                                // vnf_type -> timestamp
};

class ScalingJournal {
 public:
  // Opens (creating if needed) <state_dir>/scaling-events.db; throws std::runtime_error.
  // `keep_events` is how many recent events stay listed (and their ids deduplicated).
  explicit ScalingJournal(const std::filesystem::path &state_dir, std::size_t keep_events = 10000);
  ~ScalingJournal();
  ScalingJournal(const ScalingJournal &) = delete;
  ScalingJournal &operator=(const ScalingJournal &) = delete;

  // Commits the event; nullopt if its id was already recorded (then nothing changes).
  std::optional<JournalEntry> record(const ScalingEvent &event, double timestamp);
  ScalingTotals totals() const;
  std::vector<JournalEntry> list(std::int64_t since_seq, std::size_t limit) const;

 private:
  void exec(const char *sql) const;
  void compact();

  mutable std::mutex mutex_;  // one connection: changes() and last_insert_rowid() are per connection
  sqlite3 *db_ = nullptr;
  std::size_t keep_events_;
  std::filesystem::path path_;
};

}  // namespace vnf::hook
