#include "metrics/registry.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace vnf::metrics
