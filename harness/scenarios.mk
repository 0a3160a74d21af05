# SPDX-License-Identifier: BSD-3-Clause
# The starter conformance suite: every scenario file, listed one by one,
# distributed and installed under $(pkgdatadir)/scenarios with its
# directory layout (vfu-conform reads that directory by default).
SCENARIO_FILES = \
	scenarios/common/negotiate.yaml \
	scenarios/server/device/get-info-argsz-too-small.yaml \
	scenarios/server/device/get-info.yaml \
	scenarios/server/device/num-regions-refdev.yaml \
	scenarios/server/disconnect/common/negotiate-again.yaml \
	scenarios/server/disconnect/keep-state.yaml \
	scenarios/server/disconnect/release-dma.yaml \
	scenarios/server/disconnect/release-irqs.yaml \
	scenarios/server/dma/engine-fdless-serve.yaml \
	scenarios/server/dma/engine-memfd-round-trip.yaml \
	scenarios/server/dma/map-invalid-rejected.yaml \
	scenarios/server/dma/map-overlap-rejected.yaml \
	scenarios/server/dma/map-unmap-echo.yaml \
	scenarios/server/dma/max-dma-maps.yaml \
	scenarios/server/dma/no-dma-after-unmap.yaml \
	scenarios/server/dma/outside-window-refused.yaml \
	scenarios/server/dma/twin-socket-dma-channel.yaml \
	scenarios/server/dma/unmap-unknown-rejected.yaml \
	scenarios/server/dma/write-to-read-only-map-refused.yaml \
	scenarios/server/dma/xfer-chunks-max.yaml \
	scenarios/server/features/get-argsz-small.yaml \
	scenarios/server/features/get-set-exclusive.yaml \
	scenarios/server/features/logging-probe.yaml \
	scenarios/server/features/migration-get.yaml \
	scenarios/server/features/probe.yaml \
	scenarios/server/features/unknown-feature.yaml \
	scenarios/server/header/bad-msg-size-closes-or-errors.yaml \
	scenarios/server/header/command-before-version.yaml \
	scenarios/server/header/command-echo.yaml \
	scenarios/server/header/error-reply-header-only.yaml \
	scenarios/server/header/liveness-after-bad-requests.yaml \
	scenarios/server/header/msg-id-echo.yaml \
	scenarios/server/header/msg-size-below-header.yaml \
	scenarios/server/header/no-reply-honoured.yaml \
	scenarios/server/header/payload-count-mismatch.yaml \
	scenarios/server/header/payload-truncated.yaml \
	scenarios/server/header/pipelined-in-order.yaml \
	scenarios/server/header/unknown-command-error.yaml \
	scenarios/server/header/type-invalid.yaml \
	scenarios/server/io-fds/argsz-small.yaml \
	scenarios/server/io-fds/bar0-doorbells.yaml \
	scenarios/server/io-fds/max-msg-fds-respected.yaml \
	scenarios/server/irq/disable-all.yaml \
	scenarios/server/irq/info-all-indexes.yaml \
	scenarios/server/irq/info-refdev.yaml \
	scenarios/server/irq/mask-holds-back.yaml \
	scenarios/server/irq/msix-trigger-eventfd.yaml \
	scenarios/server/irq/set-bad-flags-rejected.yaml \
	scenarios/server/irq/trigger-data-none.yaml \
	scenarios/server/logging/reads-not-logged.yaml \
	scenarios/server/logging/report-argsz-small.yaml \
	scenarios/server/logging/report-device-writes.yaml \
	scenarios/server/migration/complex-transitions.yaml \
	scenarios/server/migration/data-read-saving-only.yaml \
	scenarios/server/migration/data-read-stream.yaml \
	scenarios/server/migration/data-write-resuming-only.yaml \
	scenarios/server/migration/direct-arcs.yaml \
	scenarios/server/migration/error-reset.yaml \
	scenarios/server/migration/resume-invalid-refused.yaml \
	scenarios/server/migration/stop-copy-arcs.yaml \
	scenarios/server/migration/stop-copy-to-pre-copy-refused.yaml \
	scenarios/server/region/absent-region-rejected.yaml \
	scenarios/server/region/access-past-end-rejected.yaml \
	scenarios/server/region/bar2-memory-round-trip.yaml \
	scenarios/server/region/config-bar-sizing.yaml \
	scenarios/server/region/config-read-only-fields.yaml \
	scenarios/server/region/info-argsz-small.yaml \
	scenarios/server/region/info-bad-index.yaml \
	scenarios/server/region/info-device-specific-type.yaml \
	scenarios/server/region/info-refdev-layout.yaml \
	scenarios/server/region/info-sparse-mmap.yaml \
	scenarios/server/region/info-standard-regions.yaml \
	scenarios/server/region/read-only-region-write-rejected.yaml \
	scenarios/server/region/read-reply-count.yaml \
	scenarios/server/region/write-multi.yaml \
	scenarios/server/region/write-read-back.yaml \
	scenarios/server/region/xfer-over-max-rejected.yaml \
	scenarios/server/reset/restores-state.yaml \
	scenarios/server/version/bad-json-refused.yaml \
	scenarios/server/version/caps-subset.yaml \
	scenarios/server/version/major-unsupported.yaml \
	scenarios/server/version/minor-higher-proposed.yaml \
	scenarios/server/version/negotiate-ok.yaml \
	scenarios/server/version/no-data.yaml \
	scenarios/server/version/twin-socket-fd.yaml

nobase_dist_pkgdata_DATA = $(SCENARIO_FILES)
EXTRA_DIST += $(SCENARIO_FILES)
