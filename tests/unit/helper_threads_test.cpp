#include "common/helper_threads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace vnf {
namespace {

// Runs one job on `helpers` helpers and the caller; the threads that ran it, and whether
// `meanwhile` had run on the caller before the caller's own run.
struct Runs {
  std::set<std::thread::id> threads;
  int runs = 0;
  bool meanwhile_first = false;
};
Runs run_once(HelperThreads &pool, std::size_t helpers) {
  Runs r;
  std::mutex mutex;
  bool meanwhile_done = false;
  const auto caller = std::this_thread::get_id();
  const std::function<void()> job = [&] {
    std::lock_guard lock(mutex);
    r.threads.insert(std::this_thread::get_id());
    ++r.runs;
    if (std::this_thread::get_id() == caller) r.meanwhile_first = meanwhile_done;
  };
  pool.run(helpers, job, [&] {
    std::lock_guard lock(mutex);
    meanwhile_done = true;
  });
  return r;
}

TEST(HelperThreads, EveryHelperAndTheCallerRunTheJobOnce) {
  HelperThreads pool(3);
  for (int round = 0; round < 200; ++round) {  // the same threads, woken again and again
    const auto r = run_once(pool, 3);
    ASSERT_EQ(r.runs, 4) << "round " << round;
    ASSERT_EQ(r.threads.size(), 4u) << "four threads";
    ASSERT_TRUE(r.threads.count(std::this_thread::get_id())) << "the caller is one of them";
    ASSERT_TRUE(r.meanwhile_first);
  }
}

TEST(HelperThreads, AsksForNoMoreThanItHas) {
  HelperThreads pool(2);
  EXPECT_EQ(run_once(pool, 5).runs, 3) << "at most max_helpers";
  EXPECT_EQ(run_once(pool, 1).runs, 2) << "fewer than were started before";
  const auto alone = run_once(pool, 0);
  EXPECT_EQ(alone.runs, 1);
  EXPECT_EQ(*alone.threads.begin(), std::this_thread::get_id()) << "no helper: the caller alone";
  HelperThreads none(0);
  EXPECT_EQ(run_once(none, 4).runs, 1);
}

TEST(HelperThreads, WhatMeanwhileThrowsComesAfterTheHelpersFinished) {
  HelperThreads pool(2);
  std::atomic<int> finished{0};
  const std::function<void()> job = [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ++finished;
  };
  EXPECT_THROW(pool.run(2, job, [] { throw std::runtime_error("meanwhile failed"); }), std::runtime_error);
  EXPECT_EQ(finished.load(), 3) << "the caller ran the job too, and every helper was done";
  EXPECT_EQ(run_once(pool, 2).runs, 3) << "and the pool still works";
}

}  // namespace
}  // namespace vnf
