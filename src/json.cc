// The one instantiation of the project's JSON type (see include/tfmend/json.h).
#include "tfmend/json.h"

template class nlohmann::basic_json<tfmend::IndexedOrderedMap>;
template class tfmend::IndexedOrderedMap<std::string, tfmend::Json, std::less<void>>;
static_assert(std::is_same_v<tfmend::Json::object_t, tfmend::IndexedOrderedMap<std::string, tfmend::Json, std::less<void>>>);
