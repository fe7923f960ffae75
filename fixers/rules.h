#pragma once
/// One function per rule of the catalogue; each is defined in the fixer file
/// named after the rule, and listed once in src/registry.cc.

#include "tfmend/rule.h"

namespace tfmend {

const Rule& missingEnvironmentSuffixRule();      // fixers/missing_environment_suffix.cc
const Rule& hardcodedSecretRule();               // fixers/hardcoded_secret.cc
const Rule& unencryptedDataStoreRule();          // fixers/unencrypted_data_store.cc
const Rule& databaseWithoutSecurityGroupRule();  // fixers/database_without_security_group.cc
const Rule& bucketWithoutReplicationRule();      // fixers/bucket_without_replication.cc
const Rule& roleWithoutPolicyRule();             // fixers/role_without_policy.cc
const Rule& blueGreenWithoutCodedeployRule();    // fixers/blue_green_without_codedeploy.cc
const Rule& regionMissingComputeRule();          // fixers/region_missing_compute.cc
const Rule& missingCriticalAlarmRule();          // fixers/missing_critical_alarm.cc
const Rule& regionMissingDnsRecordRule();        // fixers/region_missing_dns_record.cc
const Rule& staticRoutingWeightsRule();          // fixers/static_routing_weights.cc

}  // namespace tfmend
