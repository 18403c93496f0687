#pragma once
// Validating the fields of an untrusted JSON request body, with errors that name the field.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "hook/scaling_event.h"

namespace vnf::hook {

// A string field: present (if `required`), a string, at most `max_bytes`, clean UTF-8.
std::optional<RequestError> text_field(const nlohmann::json &body, const char *name, std::size_t max_bytes,
                                       bool required, std::string &out);
// An optional integer field from 0 to `max`.
std::optional<RequestError> count_field(const nlohmann::json &body, const char *name, std::optional<std::int64_t> &out,
                                        std::int64_t max = 1'000'000'000);
// Rejects fields not in `known`.
std::optional<RequestError> only_fields(const nlohmann::json &body, std::initializer_list<const char *> known);

}  // namespace vnf::hook
