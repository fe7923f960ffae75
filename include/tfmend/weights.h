#pragma once
/// Route 53 weights that follow a migration phase: the one expression both
/// TFM010 and TFM011 write (`${local.TABLE[var.PHASE]["SET_ID"]}`), and its
/// reading, so that neither builds or parses it by hand.

#include <optional>
#include <string>

#include "tfmend/json.h"

namespace tfmend {

/// The name of the weight table local that tfmend writes.
constexpr const char* kWeightTable = "traffic_weights";

/// A weight read from a phase table.
struct PhaseWeight {
  std::string table;     ///< the local holding the table
  std::string variable;  ///< the phase variable
  std::string setId;     ///< the record's set_identifier
};

/// "${local.TABLE[var.VARIABLE][\"SET_ID\"]}".
std::string weightExpression(const PhaseWeight& w);

/// The parts of a weight expression written by weightExpression, if `value` is one.
std::optional<PhaseWeight> parseWeightExpression(const Json* value);

}  // namespace tfmend
