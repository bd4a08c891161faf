// LoadPlugin: the example plugin, and plugins that must be refused.
#include "indicators/plugin_loader.h"

#include <dlfcn.h>

#include <string>

#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "indicator_test_util.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::AsOf;
using ::credit::testing::D;
using ::credit::testing::FactsBuilder;
using ::credit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

#ifdef CREDIT_EXAMPLE_PLUGIN
TEST(PluginLoaderTest, ExamplePluginWorks) {
  IndicatorRegistry registry;
  auto info = LoadPlugin(CREDIT_EXAMPLE_PLUGIN, &registry);
  CREDIT_ASSERT_OK(info);
  EXPECT_EQ(info->name, "penalty_recency");
  EXPECT_EQ(info->version, "1.0.0");
  EXPECT_THAT(info->indicators, ElementsAre("penalty_recency_weighted"));

  FactsBuilder facts;
  facts.Add("administrative_penalty", D(2024, 6, 30)).set_severity(4);
  facts.Add("administrative_penalty", D(2023, 7, 1)).set_severity(2);  // 365 days
  facts.Add("administrative_penalty", D(2024, 1, 1)).set_status(v1::Fact::REPAIRED);
  auto results = registry.EvaluateAll(facts.Build(), AsOf(2024, 6, 30));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].error(), "");
  EXPECT_DOUBLE_EQ(results[0].value().number(), 4.0 + 1.0);
  EXPECT_EQ(results[0].evidence_size(), 2);
}
#endif

TEST(PluginLoaderTest, ThrowingIndicatorFailsAlone) {
  IndicatorRegistry registry;
  auto info = LoadPlugin(CREDIT_TEST_PLUGIN_THROWING, &registry);
  CREDIT_ASSERT_OK(info);
  auto results = registry.EvaluateAll(FactsBuilder().Build(), AsOf(2024, 6, 30));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_THAT(results[0].error(), HasSubstr("'throws_runtime_error' threw an "
                                            "exception: boom from the plugin"));
  EXPECT_THAT(results[1].error(), HasSubstr("'throws_int' threw an exception "
                                            "of a non-standard type"));
  EXPECT_EQ(results[2].error(), "");
  EXPECT_EQ(results[2].value().number(), 7);
}

// Loads `path` and returns how often its register_indicators ran. The test
// holds its own handle, so the plugin's counter survives the loader's dlclose.
int RegisterCalls(void* handle) {
  auto fn = reinterpret_cast<int (*)()>(dlsym(handle, "credit_test_register_calls"));
  return fn != nullptr ? fn() : -1;
}

TEST(PluginLoaderTest, WrongAbiIsRefusedBeforeRegistering) {
  void* handle = dlopen(CREDIT_TEST_PLUGIN_BAD_ABI, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  IndicatorRegistry registry;
  EXPECT_THAT(LoadPlugin(CREDIT_TEST_PLUGIN_BAD_ABI, &registry),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(fmt::format(
                           "was built for plugin ABI {}, this libcredit "
                           "speaks {}: rebuild it against this version",
                           CREDIT_PLUGIN_ABI_VERSION + 1,
                           CREDIT_PLUGIN_ABI_VERSION))));
  EXPECT_EQ(RegisterCalls(handle), 0);
  EXPECT_TRUE(registry.List().empty());
  dlclose(handle);
}

TEST(PluginLoaderTest, WrongDescriptorSizeIsRefused) {
  void* handle = dlopen(CREDIT_TEST_PLUGIN_BAD_SIZE, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  IndicatorRegistry registry;
  EXPECT_THAT(LoadPlugin(CREDIT_TEST_PLUGIN_BAD_SIZE, &registry),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("-byte descriptor, this libcredit expects")));
  EXPECT_EQ(RegisterCalls(handle), 0);
  dlclose(handle);
}

TEST(PluginLoaderTest, FailedRegistrationRegistersNothing) {
  IndicatorRegistry registry;
  EXPECT_THAT(LoadPlugin(CREDIT_TEST_PLUGIN_FAILING_REGISTER, &registry),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("plugin failing_register (")));
  EXPECT_TRUE(registry.List().empty());
}

TEST(PluginLoaderTest, MissingFileIsAClearError) {
  IndicatorRegistry registry;
  EXPECT_THAT(LoadPlugin("/nonexistent/plugin.so", &registry),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("cannot load plugin /nonexistent/plugin.so: ")));
}

TEST(PluginLoaderTest, SharedObjectWithoutEntryPointIsRefused) {
  IndicatorRegistry registry;
  EXPECT_THAT(LoadPlugin(CREDIT_TEST_PLUGIN_NO_ENTRY, &registry),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("does not export the entry point "
                                 "'credit_plugin_descriptor'")));
}

TEST(PluginLoaderTest, DuplicateNamesAreRefusedAsAWhole) {
  IndicatorRegistry registry;
  CREDIT_ASSERT_OK(LoadPlugin(CREDIT_TEST_PLUGIN_THROWING, &registry));
  EXPECT_THAT(LoadPlugin(CREDIT_TEST_PLUGIN_THROWING, &registry),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       HasSubstr("'throws_runtime_error' is already registered")));
  EXPECT_EQ(registry.List().size(), 3u);
}

}  // namespace
}  // namespace credit
