#include "metrics/registry.h"

#include <gtest/gtest.h>

#include "metrics/vnf_series.h"

namespace vnf::metrics {
namespace {

TEST(Registry, SecondRegistrationReturnsTheSameFamily) {
  Registry r;
  auto &a = r.counter("vnf_x_total", "X.");
  auto &b = r.counter("vnf_x_total", "X.");
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(r.family_count(), 1u);
  a.Add({{"k", "v"}}).Increment(2);
  EXPECT_NE(r.serialize().find("vnf_x_total{k=\"v\"} 2"), std::string::npos) << r.serialize();
}

TEST(Registry, ConflictingTypeFailsLoudly) {
  Registry r;
  r.counter("vnf_x_total", "X.");
  EXPECT_THROW(r.gauge("vnf_x_total", "X."), RegistrationConflict);
}

TEST(Registry, ConflictingHelpFailsLoudly) {
  Registry r;
  r.gauge("vnf_y", "Y.");
  EXPECT_THROW(r.gauge("vnf_y", "Something else."), RegistrationConflict);
}

TEST(Registry, InvalidNameIsRejected) {
  Registry r;
  EXPECT_ANY_THROW(r.gauge("9-not a name", "Bad."));
}

class FixedWriter : public FamilyWriter {
 public:
  void write(std::string &out) const override {
    write_header(out, {"vnf_w_total", "W.", prometheus::MetricType::Counter});
    out += "vnf_w_total{vnf=\"a\"} 1\n";
  }
};

TEST(Registry, WrittenFamiliesShareTheNamespaceAndTheExposition) {
  Registry r;
  r.counter("vnf_x_total", "X.").Add({}).Increment();
  FixedWriter writer;
  r.add_writer({{"vnf_w_total", "W.", prometheus::MetricType::Counter}}, writer);
  EXPECT_EQ(r.family_count(), 2u);
  const auto text = r.serialize();
  EXPECT_NE(text.find("vnf_x_total 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE vnf_w_total counter\nvnf_w_total{vnf=\"a\"} 1\n"), std::string::npos) << text;

  // Neither kind may take the other's name, whatever the type or help.
  EXPECT_THROW(r.counter("vnf_w_total", "W."), RegistrationConflict);
  FixedWriter other;
  EXPECT_THROW(r.add_writer({{"vnf_x_total", "X.", prometheus::MetricType::Counter}}, other), RegistrationConflict);
  EXPECT_THROW(r.add_writer({{"not a name", "Bad.", prometheus::MetricType::Gauge}}, other), std::invalid_argument);

  r.remove_writer(writer);
  EXPECT_EQ(r.serialize().find("vnf_w_total"), std::string::npos);
  EXPECT_NO_THROW(r.counter("vnf_w_total", "W."));
}

// docker restart: the identity goes for a scrape or two and comes back; its counters go on.
TEST(VnfSeriesSet, AnIdentityThatComesBackGoesOnFromItsLastNumbers) {
  struct Totals {
    std::uint64_t cpu_ns;
  };
  VnfSeriesSet<Totals> set;
  discover::VnfIdentity busy{.vnf = "busy", .vnf_type = "debian"}, other{.vnf = "other"};
  const auto t0 = std::chrono::steady_clock::now();
  set.touch(busy).cpu_ns = 5;
  set.sweep(t0);
  set.sweep(t0);  // busy is gone: no series, its numbers kept aside
  EXPECT_EQ(set.size(), 0u);
  EXPECT_EQ(set.retired(), 1u);
  EXPECT_EQ(set.touch(busy).cpu_ns, 5u) << "back within the grace period";
  EXPECT_EQ(set.touch(other).cpu_ns, 0u) << "another identity starts at zero";
  set.sweep(t0);
  EXPECT_EQ(set.retired(), 0u);
  set.sweep(t0);  // both gone
  const auto late = t0 + VnfSeriesSet<Totals>::kRetiredFor + std::chrono::seconds(1);
  EXPECT_EQ(set.touch_first(busy, late).first.cpu_ns, 0u) << "back too late, before any sweep forgot it";
  set.sweep(late);
  EXPECT_EQ(set.retired(), 0u) << "forgotten after the grace period";
}

TEST(VnfSeriesSet, NumbersKeptAsideAreBounded) {
  VnfSeriesSet<int> set;
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t n = VnfSeriesSet<int>::kMaxRetired + 10;
  for (std::size_t i = 0; i < n; ++i) set.touch(discover::VnfIdentity{.vnf = std::to_string(i)}) = 1;
  set.sweep(t0);
  for (std::size_t i = 0; i < n; ++i) set.sweep(t0 + std::chrono::milliseconds(i));
  EXPECT_EQ(set.size(), 0u);
  EXPECT_EQ(set.retired(), VnfSeriesSet<int>::kMaxRetired);
}

}  // namespace
}  // namespace vnf::metrics
