#include "hook/scaling_journal.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <stdexcept>

namespace vnf::hook {
namespace {

// One prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3 *db, const char *sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("scaling journal: ") + sqlite3_errmsg(db));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement &) = delete;
  Statement &operator=(const Statement &) = delete;

  Statement &bind(int i, const std::string &v) {
    sqlite3_bind_text(stmt_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement &bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement &bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  Statement &bind(int i, const std::optional<std::int64_t> &v) {
    if (v) sqlite3_bind_int64(stmt_, i, *v);
    else sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // Steps once: true while there is a row.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("scaling journal: ") + sqlite3_errmsg(db_));
  }
  std::string text(int col) const {
    auto *p = sqlite3_column_text(stmt_, col);
    return p ? reinterpret_cast<const char *>(p) : "";
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  std::optional<std::int64_t> maybe_integer(int col) const {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return integer(col);
  }

 private:
  sqlite3 *db_;
  sqlite3_stmt *stmt_ = nullptr;
};

constexpr const char *kSchema = R"sql(
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT UNIQUE,
  ts REAL NOT NULL,
  vnf_type TEXT NOT NULL, direction TEXT NOT NULL, vnf TEXT NOT NULL,
  from_count INTEGER, to_count INTEGER, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS folded (
  vnf_type TEXT NOT NULL, direction TEXT NOT NULL, actions INTEGER NOT NULL, last_ts REAL NOT NULL,
  PRIMARY KEY (vnf_type, direction));
)sql";

}  // namespace

ScalingJournal::ScalingJournal(const std::filesystem::path &state_dir, std::size_t keep_events)
    : keep_events_(keep_events), path_(state_dir / "scaling-events.db") {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open the scaling journal " + path_.string() + ": " + why +
                             " (set --state-dir to a writable directory)");
  }
  sqlite3_busy_timeout(db_, 5000);
  try {
    // WAL with synchronous=FULL: a commit is on disk before it returns, even across power loss.
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
    exec(kSchema);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

ScalingJournal::~ScalingJournal() { sqlite3_close(db_); }

void ScalingJournal::exec(const char *sql) const {
  char *error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string why = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error("scaling journal " + path_.string() + ": " + why);
  }
}

std::optional<JournalEntry> ScalingJournal::record(const ScalingEvent &e, double timestamp) {
  std::lock_guard lock(mutex_);
  Statement insert(db_, e.id.empty()
                            ? "INSERT INTO events (id, ts, vnf_type, direction, vnf, from_count, to_count, reason) "
                              "VALUES (NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                            : "INSERT OR IGNORE INTO events (id, ts, vnf_type, direction, vnf, from_count, to_count, reason) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!e.id.empty()) insert.bind(1, e.id);
  insert.bind(2, timestamp).bind(3, e.vnf_type).bind(4, e.direction).bind(5, e.vnf).bind(6, e.from).bind(7, e.to).bind(8, e.reason);
  insert.step();  // autocommit: durable when this returns
  if (sqlite3_changes(db_) == 0) return std::nullopt;  // the id was there already
  JournalEntry entry{sqlite3_last_insert_rowid(db_), timestamp, e};
  if (entry.seq % 1000 == 0) {
    try {
      compact();
    } catch (const std::exception &ex) {  // the event itself is committed: report, do not fail it
      spdlog::warn("{}", ex.what());
    }
  }
  return entry;
}

void ScalingJournal::compact() {
  // Events older than the newest keep_events_ are folded into the totals in one transaction;
  // their ids stop being deduplicated then (a retry that late is a new event).
  exec("BEGIN IMMEDIATE");
  try {
    Statement cutoff(db_, "SELECT seq FROM events ORDER BY seq DESC LIMIT 1 OFFSET ?1");
    cutoff.bind(1, static_cast<std::int64_t>(keep_events_));
    if (cutoff.step()) {
      const auto last_folded = cutoff.integer(0);
      Statement fold(db_,
                     "INSERT INTO folded (vnf_type, direction, actions, last_ts) "
                     "SELECT vnf_type, direction, COUNT(*), MAX(ts) FROM events WHERE seq <= ?1 GROUP BY vnf_type, direction "
                     "ON CONFLICT (vnf_type, direction) DO UPDATE SET actions = actions + excluded.actions, "
                     "last_ts = MAX(last_ts, excluded.last_ts)");
      fold.bind(1, last_folded);
      fold.step();
      Statement remove(db_, "DELETE FROM events WHERE seq <= ?1");
      remove.bind(1, last_folded);
      remove.step();
    }
    exec("COMMIT");
  } catch (...) {
    exec("ROLLBACK");
    throw;
  }
}

ScalingTotals ScalingJournal::totals() const {
  std::lock_guard lock(mutex_);
  ScalingTotals totals;
  Statement q(db_,
              "SELECT vnf_type, direction, SUM(n), MAX(ts) FROM ("
              "  SELECT vnf_type, direction, actions AS n, last_ts AS ts FROM folded"
              "  UNION ALL SELECT vnf_type, direction, 1, ts FROM events) GROUP BY vnf_type, direction");
  while (q.step()) {
    const auto type = q.text(0);
    totals.actions[{type, q.text(1)}] = static_cast<std::uint64_t>(q.integer(2));
    auto &last = totals.last_action[type];
    last = std::max(last, q.real(3));
  }
  return totals;
}

std::vector<JournalEntry> ScalingJournal::list(std::int64_t since_seq, std::size_t limit) const {
  std::lock_guard lock(mutex_);
  Statement q(db_,
              "SELECT seq, ts, vnf_type, direction, vnf, from_count, to_count, reason, COALESCE(id, '') "
              "FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2");
  q.bind(1, since_seq).bind(2, static_cast<std::int64_t>(limit));
  std::vector<JournalEntry> entries;
  while (q.step()) {
    JournalEntry e;
    e.seq = q.integer(0);
    e.timestamp = q.real(1);
    e.event = {q.text(2), q.text(3), q.text(4), q.maybe_integer(5), q.maybe_integer(6), q.text(7), q.text(8)};
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace vnf::hook
