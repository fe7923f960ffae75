#pragma once
/// Route 53 weights that follow a migration phase: the one expression both
/// TFM010 and TFM011 write (`${local.TABLE[var.PHASE]["SET_ID"]}`), and its
/// reading, so that neither builds or parses it by hand.

#include <optional>
#include <string>

#include "tfmend/json.h"
#include "tfmend/stack_model.h"

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

/// The JSON Pointer of local `table`'s value ("/locals/t", or "/locals/0/t"
/// where locals are an array of blocks), if it is a table of phases that a fix
/// can extend: an object whose rows are objects. Empty otherwise.
std::string extensibleTable(const StackModel& m, const std::string& table);

}  // namespace tfmend
