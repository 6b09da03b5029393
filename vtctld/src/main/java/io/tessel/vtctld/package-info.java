/**
 * vtctld, the gRPC admin API over the topology (keyspaces, shards, vschema, tablets), and the vtctl CLI.
 * The service contract is {@code vtctlservice.proto}; the implementation arrives with the topology issue.
 */
package io.tessel.vtctld;
