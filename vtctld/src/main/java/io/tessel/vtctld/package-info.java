/**
 * vtctld, the gRPC admin API over the topology (keyspaces, shards, vschema, tablets, serving graph), and the
 * vtctl CLI. {@link io.tessel.vtctld.VtctldService} dispatches the RPCs of {@code vtctlservice.proto} to one
 * admin class per concern; {@link io.tessel.vtctld.VtctldServer} serves it, {@link io.tessel.vtctld.VtCtld} is the
 * daemon and {@link io.tessel.vtctld.Vtctl} the client. See docs/design/vtctld.md.
 */
package io.tessel.vtctld;
