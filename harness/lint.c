/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lint: the requirement catalogue and the always-on checks; see lint.h.
 * The catalogue is a table indexed by enum rule_idx; the checks are plain
 * code per message kind that names the rule it applies.
 */
#include "config.h"
#include "lint.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "caps.h"
#include "codec.h"
#include "diag.h"

enum rule_idx {
	R_HDR_TYPE, R_HDR_REPLY_BIT, R_HDR_MSG_ID, R_HDR_COMMAND,
	R_HDR_NO_REPLY, R_HDR_ERR_ONLY, R_HDR_ERROR_RESERVED, R_HDR_ORDER,
	R_HDR_MSG_SIZE, R_WELL_FORMED, R_DIRECTION, R_MAX_FDS,
	R_VER_FIRST, R_VER_MAJOR, R_VER_MINOR, R_VER_JSON, R_VER_SUBSET,
	R_VER_TWIN,
	R_ARGSZ_LIMIT, R_ARGSZ_FULL, R_NO_PAYLOAD,
	R_UNMAP_ECHO, R_UNMAP_MATCH, R_MAP_OFFSET_ZERO,
	R_INFO_PCI,
	R_REGION_INDEX, R_MMAP_FD, R_CAPS_FLAG,
	R_IOFDS_FD, R_IOFDS_FD_INDEX, R_IOFDS_FLAGS, R_IOFDS_INDEX,
	R_IRQ_INDEX, R_FIELDS_ZERO,
	R_READ_ECHO, R_READ_COUNT, R_WRITE_ECHO, R_XFER_MAX,
	R_DMA_MAPPED, R_DMA_PERM,
	R_WM_NEGOTIATED, R_WM_ENTRY, R_WM_COUNT,
	R_FEAT_ECHO, R_FEAT_GET_ARGSZ, R_MIG_STOP_COPY, R_MIG_STATE,
	R_REPORT_OUTSIDE, R_MIGREAD_SIZE, R_MIGREAD_ARGSZ,
	/* behaviour, judged by scenarios */
	B_REPLY_REQUIRED, B_MAP_EEXIST, B_UNMAP_INEXACT, B_MAX_DMA_MAPS,
	B_UNMAP_RELEASE, B_REGION_ACCESS, B_REGION_FLAGS, B_REGION_TYPE_CAP,
	B_SPARSE_AREAS, B_IRQ_TRIGGER, B_IRQ_MASK, B_IRQ_DISABLE_ALL,
	B_WM_SUPPORTED, B_FEAT_PROBE, B_FEAT_GET_SET, B_MIG_ARCS,
	B_MIG_NO_STOPCOPY_PRECOPY, B_MIG_COMPLEX, B_MIG_ERROR_RESET,
	B_MIG_RESUME_INVALID, B_MIG_DATA_STATE, B_MIG_STREAM,
	B_LOG_WRITES, B_RESET, B_DISCONNECT_DMA, B_DISCONNECT_IRQ,
	B_DISCONNECT_STATE, B_VALIDATE_INPUT, B_XFER_ENFORCED,
	B_REGION_BOUNDS, B_IRQ_FLAGS_EXCLUSIVE, B_DMA_TWIN_CHANNEL,
	B_LOG_BITMAP, B_MIG_WRITE_STATE,
	R_COUNT
};

#define C	SESSION_CLIENT	/* the harness is the client: checks a server */
#define S	SESSION_SERVER	/* the harness is the server: checks a client */

static const struct rule rules[R_COUNT] = {
	[R_HDR_TYPE] = { "header.type-valid", RULE_MUST, "Header",
	    "*Command* (value 0x0) indicates a command message. *Reply* "
	    "(value 0x1) indicates a reply message acknowledging a previous "
	    "command with the same message ID.", C, 1 },
	[R_HDR_REPLY_BIT] = { "header.reply-bit", RULE_MUST, "Header",
	    "The reply consists of the header with the *Reply* bit set, plus "
	    "any additional data.", C, 1 },
	[R_HDR_MSG_ID] = { "header.msg-id-echo", RULE_MUST, "Header",
	    "*Message ID* identifies the message, and is echoed in the "
	    "command's reply message.", C, 1 },
	[R_HDR_COMMAND] = { "header.command-echo", RULE_MUST, "Header",
	    "*Command* specifies the command to be executed, listed in "
	    "Commands_. It is also set in the reply header.", C, 1 },
	[R_HDR_NO_REPLY] = { "header.no-reply", RULE_SHOULD, "Header",
	    "*No_reply* in a command message indicates that no reply is "
	    "needed for this command.", C, 1 },
	[R_HDR_ERR_ONLY] = { "header.error-reply-header-only", RULE_MUST,
	    "Header", "If an error occurs, the reply message must only "
	    "include the reply header.", C, 1 },
	[R_HDR_ERROR_RESERVED] = { "header.error-reserved", RULE_SHOULD,
	    "Header", "*Error* in a reply message is an optional UNIX errno "
	    "value. It may be zero even if the Error bit is set in Flags. It "
	    "is reserved in a command message.", C, 1 },
	[R_HDR_ORDER] = { "header.reply-order", RULE_SHOULD,
	    "Command Concurrency", "The server will process commands in the "
	    "order they are received.", C, 0 },
	[R_HDR_MSG_SIZE] = { "header.msg-size", RULE_MUST, "Header",
	    "*Message size* contains the size of the entire message, "
	    "including the header.", C, 1 },
	[R_WELL_FORMED] = { "message.well-formed", RULE_MUST, "Header",
	    "As the header is standard in both requests and replies, it is "
	    "not included in the command-specific specifications below; each "
	    "message definition should be appended to the standard header, "
	    "and the offsets are given from the end of the standard header.",
	    C, 1 },
	[R_DIRECTION] = { "command.direction", RULE_MUST, "Commands",
	    "The following table lists the VFIO message command IDs, and "
	    "whether the message command is sent from the client or the "
	    "server.", C, 1 },
	[R_MAX_FDS] = { "caps.max-msg-fds", RULE_MUST, "VFIO_USER_VERSION",
	    "Maximum number of file descriptors that can be received by the "
	    "sender in one message.", C, 1 },
	[R_VER_FIRST] = { "version.first", RULE_MUST, "VFIO_USER_VERSION",
	    "Upon establishing a connection, the client must send a "
	    "``VFIO_USER_VERSION`` message proposing a protocol version and "
	    "a set of capabilities.", S, 0 },
	[R_VER_MAJOR] = { "version.major-same", RULE_MUST,
	    "VFIO_USER_VERSION", "The major version in the reply must be the "
	    "same as proposed.", C, 0 },
	[R_VER_MINOR] = { "version.minor-not-higher", RULE_MUST,
	    "VFIO_USER_VERSION", "The minor version in the reply must be "
	    "equal to or less than the minor version proposed.", C, 0 },
	[R_VER_JSON] = { "version.caps-json", RULE_MUST, "VFIO_USER_VERSION",
	    "The version data is an optional UTF-8 encoded JSON byte array "
	    "with the following format:", C, 1 },
	[R_VER_SUBSET] = { "version.caps-subset", RULE_MUST,
	    "VFIO_USER_VERSION", "The capability list must be a subset of "
	    "those proposed.", C, 0 },
	[R_VER_TWIN] = { "version.twin-socket", RULE_MUST,
	    "VFIO_USER_VERSION", "If and only if the client has indicated "
	    "support for twin-socket mode by setting "
	    "``twin_socket.supported`` to true in its capabilities, the "
	    "server may optionally set up a separate command channel for "
	    "server-to-client commands and their replies.", C, 0 },
	[R_ARGSZ_LIMIT] = { "reply.argsz-limit", RULE_MUST, "Message sizes",
	    "This may be larger than the requested maximum size: in that "
	    "case, the full payload is not included in the reply, but the "
	    "``argsz`` field in the reply indicates the needed size, "
	    "allowing a client to allocate a larger buffer for holding the "
	    "reply before trying again.", C, 0 },
	[R_ARGSZ_FULL] = { "reply.argsz-full-size", RULE_MUST,
	    "Message sizes", "In a reply, the server sets ``argsz`` field to "
	    "the size needed for a full payload size.", C, 0 },
	[R_NO_PAYLOAD] = { "reply.no-payload", RULE_MUST, "VFIO_USER_DMA_MAP",
	    "There is no payload in the reply message.", C, 0 },
	[R_UNMAP_ECHO] = { "dma-unmap.reply-echo", RULE_MUST,
	    "VFIO_USER_DMA_UNMAP", "The server responds with the original DMA "
	    "entry in the request.", C, 0 },
	[R_UNMAP_MATCH] = { "dma-unmap.exact-match", RULE_MUST,
	    "VFIO_USER_DMA_UNMAP", "The address and size of the DMA region "
	    "being unmapped must match exactly a previous mapping.", S, 0 },
	[R_MAP_OFFSET_ZERO] = { "dma-map.offset-zero", RULE_SHOULD,
	    "VFIO_USER_DMA_MAP", "*offset* is the file offset of the region "
	    "with respect to the associated file descriptor, or zero if the "
	    "region is not mappable", S, 0 },
	[R_INFO_PCI] = { "device-info.pci", RULE_SHOULD,
	    "VFIO_USER_DEVICE_GET_INFO", "This version of the protocol only "
	    "supports PCI devices.", C, 0 },
	[R_REGION_INDEX] = { "region-info.index-echo", RULE_MUST,
	    "VFIO_USER_DEVICE_GET_REGION_INFO", "*index* is the index of "
	    "memory region being queried, it is the only field that is "
	    "required to be set in the command message.", C, 0 },
	[R_MMAP_FD] = { "region-info.mmap-fd", RULE_MUST,
	    "VFIO_USER_DEVICE_GET_REGION_INFO", "When this flag is set, the "
	    "reply will include a file descriptor in its meta-data.", C, 0 },
	[R_CAPS_FLAG] = { "region-info.caps-flag", RULE_MUST,
	    "VFIO_USER_DEVICE_GET_REGION_INFO", "``VFIO_REGION_INFO_FLAG_CAPS`` "
	    "indicates additional capabilities found in the reply.", C, 0 },
	[R_IOFDS_FD] = { "io-fds.fd-present", RULE_MUST,
	    "VFIO_USER_DEVICE_GET_REGION_IO_FDS", "The reply message will "
	    "additionally include at least one file descriptor in the "
	    "ancillary data.", C, 0 },
	[R_IOFDS_FD_INDEX] = { "io-fds.fd-index", RULE_MUST,
	    "VFIO_USER_DEVICE_GET_REGION_IO_FDS", "*fd_index* is the index in "
	    "the ancillary data of the FD to use for ioeventfd notification; "
	    "it may be shared.", C, 0 },
	[R_IOFDS_FLAGS] = { "io-fds.flags-zero", RULE_MUST,
	    "VFIO_USER_DEVICE_GET_REGION_IO_FDS", "*flags* must be zero", C,
	    0 },
	[R_IOFDS_INDEX] = { "io-fds.index-echo", RULE_MUST,
	    "VFIO_USER_DEVICE_GET_REGION_IO_FDS", "*index* is the index of "
	    "memory region being queried", C, 0 },
	[R_IRQ_INDEX] = { "irq-info.index-echo", RULE_MUST,
	    "VFIO_USER_DEVICE_GET_IRQ_INFO", "index is the index of IRQ type "
	    "being queried", C, 0 },
	[R_FIELDS_ZERO] = { "request.fields-zero", RULE_MUST,
	    "VFIO_USER_DEVICE_GET_INFO", "all other fields must be zero.", S,
	    0 },
	[R_READ_ECHO] = { "region-read.reply-echo", RULE_MUST,
	    "VFIO_USER_REGION_READ", "*offset* into the region accessed. "
	    "*region* is the index of the region accessed.", C, 0 },
	[R_READ_COUNT] = { "region-read.reply-count", RULE_MUST,
	    "VFIO_USER_REGION_READ", "*count* is the size of the data "
	    "transferred. *data* is the data that was read from the device "
	    "region.", C, 0 },
	[R_WRITE_ECHO] = { "region-write.reply-echo", RULE_MUST,
	    "VFIO_USER_REGION_WRITE", "*offset* into the region accessed. "
	    "*region* is the index of the region accessed. *count* is the "
	    "size of the data transferred.", C, 0 },
	[R_XFER_MAX] = { "access.max-data-xfer-size", RULE_MUST,
	    "Read and Write Operations", "The ``count`` field must not exceed "
	    "the value of ``max_data_xfer_size`` of the peer, for both reads "
	    "and writes.", C, 1 },
	[R_DMA_MAPPED] = { "dma.address-mapped", RULE_MUST,
	    "VFIO_USER_DMA_READ", "This address must have been previously "
	    "exported to the server with a ``VFIO_USER_DMA_MAP`` message.",
	    C, 0 },
	[R_DMA_PERM] = { "dma.permission", RULE_MUST, "VFIO_USER_DMA_MAP",
	    "*readable* indicates that the region can be read from. "
	    "*writeable* indicates that the region can be written to.", C, 0 },
	[R_WM_NEGOTIATED] = { "write-multi.negotiated", RULE_MUST,
	    "VFIO_USER_VERSION", "``VFIO_USER_REGION_WRITE_MULTI`` messages "
	    "are supported if the value is ``true``.", S, 0 },
	[R_WM_ENTRY] = { "write-multi.entry-count", RULE_MUST,
	    "VFIO_USER_REGION_WRITE_MULTI", "This format can only describe "
	    "writes of 8 bytes or less.", S, 0 },
	[R_WM_COUNT] = { "write-multi.reply-count", RULE_MUST,
	    "VFIO_USER_REGION_WRITE_MULTI", "*wr_cnt* is the number of device "
	    "writes completed.", C, 0 },
	[R_FEAT_ECHO] = { "feature.reply-echo", RULE_MUST,
	    "VFIO_USER_DEVICE_FEATURE", "The reply payload must be the same "
	    "as the request payload for setting or probing a feature.", C, 0 },
	[R_FEAT_GET_ARGSZ] = { "feature.get-argsz", RULE_MUST,
	    "VFIO_USER_DEVICE_FEATURE", "For getting a feature's data, the "
	    "data is added in the data section and its length is added to "
	    "``argsz``.", C, 0 },
	[R_MIG_STOP_COPY] = { "migration.stop-copy", RULE_MUST,
	    "VFIO_DEVICE_FEATURE_MIGRATION", "Support for additional states is "
	    "indicated via the flags field; at least "
	    "``VFIO_MIGRATION_STOP_COPY`` must be set.", C, 0 },
	[R_MIG_STATE] = { "migration.state-valid", RULE_MUST,
	    "VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE", "*device_state* is the "
	    "current state of the device (for ``GET``) or the state to "
	    "transition to (for ``SET``).", C, 0 },
	[R_REPORT_OUTSIDE] = { "dma-logging.report-outside-zero", RULE_MUST,
	    "VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT", "The bits outside of the "
	    "requested range must be zero.", C, 0 },
	[R_MIGREAD_SIZE] = { "mig-data-read.size", RULE_MUST,
	    "VFIO_USER_MIG_DATA_READ", "*size* indicates the size of returned "
	    "migration data. If this is less than the requested size, there "
	    "is no more migration data to read.", C, 0 },
	[R_MIGREAD_ARGSZ] = { "mig-data-read.argsz", RULE_MUST,
	    "VFIO_USER_MIG_DATA_READ", "*argsz* is the size of the above "
	    "structure, including the size of the data.", C, 0 },

	/* ---- behaviour: what the peer does, judged by scenarios -------- */
#define BEH(idx, id, lvl, sec, sen) \
	[idx] = { id, lvl, sec, sen, C, 0, 1 }
	BEH(B_REPLY_REQUIRED, "command.reply-required", RULE_MUST, "Header",
	    "Each command message in Commands_ must be replied to with a "
	    "reply message, unless the message sets the *No_Reply* bit."),
	BEH(B_MAP_EEXIST, "dma-map.overlap-eexist", RULE_MUST,
	    "VFIO_USER_DMA_MAP", "A command to map over an existing region "
	    "must be failed by the server with ``EEXIST`` set in error field "
	    "in the reply."),
	BEH(B_UNMAP_INEXACT, "dma-unmap.inexact-rejected", RULE_MUST,
	    "VFIO_USER_DMA_UNMAP", "The address and size of the DMA region "
	    "being unmapped must match exactly a previous mapping."),
	BEH(B_MAX_DMA_MAPS, "dma-map.max-dma-maps", RULE_MUST,
	    "VFIO_USER_VERSION", "Maximum number DMA map windows that can be "
	    "valid simultaneously."),
	BEH(B_UNMAP_RELEASE, "dma-unmap.release", RULE_MUST,
	    "VFIO_USER_DMA_UNMAP", "Upon receiving a ``VFIO_USER_DMA_UNMAP`` "
	    "command, if the file descriptor is mapped then the server must "
	    "release all references to that DMA region before replying, "
	    "which potentially includes in-flight DMA transactions."),
	BEH(B_REGION_ACCESS, "region.access", RULE_MUST,
	    "Device Read and Write", "The server will reply with data from "
	    "the device on read operations or an acknowledgement on write "
	    "operations."),
	BEH(B_REGION_FLAGS, "region.permissions", RULE_MUST,
	    "VFIO_USER_DEVICE_GET_REGION_INFO", "``VFIO_REGION_INFO_FLAG_READ`` "
	    "allows client read access to the region. "
	    "``VFIO_REGION_INFO_FLAG_WRITE`` allows client write access to "
	    "the region."),
	BEH(B_REGION_TYPE_CAP, "region.device-specific-type", RULE_MUST,
	    "Device-Specific Regions", "This is achieved by including a "
	    "``VFIO_REGION_INFO_CAP_TYPE`` capability in the region info "
	    "reply of a device-specific region."),
	BEH(B_SPARSE_AREAS, "region.sparse-mmap", RULE_MUST,
	    "VFIO region info cap sparse mmap", "There will be *nr_areas* "
	    "pairs of offset and size."),
	BEH(B_IRQ_TRIGGER, "irq.eventfd-trigger", RULE_MUST,
	    "VFIO_USER_DEVICE_SET_IRQS", "``VFIO_IRQ_SET_ACTION_TRIGGER`` "
	    "indicates a triggering event. It can be used with "
	    "``VFIO_IRQ_SET_DATA_BOOL`` or ``VFIO_IRQ_SET_DATA_NONE`` to "
	    "trigger an interrupt, or with ``VFIO_IRQ_SET_DATA_EVENTFD`` to "
	    "generate an event when the server triggers the interrupt."),
	BEH(B_IRQ_MASK, "irq.mask", RULE_MUST, "VFIO_USER_DEVICE_SET_IRQS",
	    "``VFIO_IRQ_SET_ACTION_MASK`` indicates a masking event. It can be "
	    "used with ``VFIO_IRQ_SET_DATA_BOOL`` or "
	    "``VFIO_IRQ_SET_DATA_NONE`` to mask an interrupt"),
	BEH(B_IRQ_DISABLE_ALL, "irq.disable-all", RULE_MUST,
	    "VFIO_USER_DEVICE_SET_IRQS", "As a special case, a count (and "
	    "start) of 0, with data flags of ``VFIO_IRQ_SET_DATA_NONE`` "
	    "disables all interrupts of the index."),
	BEH(B_WM_SUPPORTED, "write-multi.supported", RULE_MUST,
	    "VFIO_USER_VERSION", "``VFIO_USER_REGION_WRITE_MULTI`` messages "
	    "are supported if the value is ``true``."),
	BEH(B_FEAT_PROBE, "feature.probe", RULE_MUST,
	    "VFIO_USER_DEVICE_FEATURE", "If ``VFIO_DEVICE_FEATURE_GET`` and/or "
	    "``VFIO_DEVICE_FEATURE_SET`` are also set, the probe will only "
	    "return success if all of the indicated methods are supported."),
	BEH(B_FEAT_GET_SET, "feature.get-set-exclusive", RULE_MUST,
	    "VFIO_USER_DEVICE_FEATURE", "``VFIO_DEVICE_FEATURE_GET`` and "
	    "``VFIO_DEVICE_FEATURE_SET`` are mutually exclusive, except for "
	    "use with ``VFIO_DEVICE_FEATURE_PROBE``."),
	BEH(B_MIG_ARCS, "migration.direct-arcs", RULE_MUST,
	    "Direct State Transitions", "The following transitions need to "
	    "be supported by the server, a subset of those defined in "
	    "``<linux/vfio.h>`` (``enum vfio_device_mig_state``)."),
	BEH(B_MIG_NO_STOPCOPY_PRECOPY, "migration.stop-copy-to-pre-copy",
	    RULE_SHOULD, "Direct State Transitions", "The ``STOP_COPY -> "
	    "PRE_COPY`` transition is explicitly not allowed and should "
	    "return an error if requested."),
	BEH(B_MIG_COMPLEX, "migration.complex-transitions", RULE_MUST,
	    "Complex State Transitions", "The remaining possible transitions "
	    "are to be implemented as combinations of the above FSM arcs."),
	BEH(B_MIG_ERROR_RESET, "migration.error-reset", RULE_MUST,
	    "Direct State Transitions", "To recover from ``ERROR``, "
	    "``VFIO_USER_DEVICE_RESET`` must be used to return back to "
	    "``RUNNING``."),
	BEH(B_MIG_RESUME_INVALID, "migration.resume-invalid", RULE_MUST,
	    "Direct State Transitions", "If the delivered data is found to "
	    "be incomplete, inconsistent, or otherwise invalid, fail the "
	    "``SET`` command and optionally transition to the ``ERROR`` "
	    "state."),
	BEH(B_MIG_DATA_STATE, "mig-data-read.saving-state", RULE_MUST,
	    "VFIO_USER_MIG_DATA_READ", "This command is used to read data "
	    "from the source migration server while it is in a saving group "
	    "state (``PRE_COPY`` or ``STOP_COPY``)."),
	BEH(B_MIG_STREAM, "migration.stream", RULE_MUST,
	    "VFIO_USER_MIG_DATA_READ", "Hence, the migration data is treated "
	    "like a stream, so the client must continue reading until no "
	    "more migration data remains."),
	BEH(B_LOG_WRITES, "dma-logging.writes", RULE_MUST,
	    "VFIO_DEVICE_FEATURE_DMA_LOGGING_START", "Only DMA writes are "
	    "logged."),
	BEH(B_RESET, "device.reset", RULE_MUST, "VFIO_USER_DEVICE_RESET",
	    "This command message is sent from the client to the server to "
	    "reset the device."),
	BEH(B_DISCONNECT_DMA, "disconnect.release-dma", RULE_SHOULD,
	    "Client Disconnection", "all client memory regions are unmapped "
	    "and cleaned up (including closing any passed file descriptors)"),
	BEH(B_DISCONNECT_IRQ, "disconnect.release-irqs", RULE_SHOULD,
	    "Client Disconnection", "all IRQ file descriptors passed from the "
	    "old client are closed"),
	BEH(B_DISCONNECT_STATE, "disconnect.keep-state", RULE_SHOULD,
	    "Client Disconnection", "the device state should otherwise be "
	    "retained"),
	BEH(B_VALIDATE_INPUT, "robustness.validate-input", RULE_SHOULD,
	    "Security Considerations", "Standard tools and mechanisms should "
	    "be used on both sides to validate input and prevent against "
	    "denial of service scenarios, buffer overflow, etc."),
	BEH(B_XFER_ENFORCED, "access.max-data-xfer-enforced", RULE_SHOULD,
	    "Read and Write Operations", "The ``count`` field must not exceed "
	    "the value of ``max_data_xfer_size`` of the peer, for both reads "
	    "and writes."),
	BEH(B_REGION_BOUNDS, "region.bounds", RULE_MUST,
	    "VFIO_USER_DEVICE_GET_REGION_INFO", "*size* is the size of the "
	    "region."),
	BEH(B_IRQ_FLAGS_EXCLUSIVE, "irq.set-flags-exclusive", RULE_MUST,
	    "VFIO_USER_DEVICE_SET_IRQS", "The ``DATA`` flags describe the "
	    "data field sent in the message; the ``ACTION`` flags describe "
	    "the action to be performed. The flags are mutually exclusive "
	    "for both sets."),
	BEH(B_DMA_TWIN_CHANNEL, "dma.twin-socket-channel", RULE_MUST,
	    "VFIO_USER_DMA_READ", "This message and its reply are passed "
	    "over the separate server-to-client socket if twin-socket mode "
	    "has been negotiated during connection setup."),
	BEH(B_LOG_BITMAP, "dma-logging.report-bitmap", RULE_MUST,
	    "VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT", "The bitmap is an "
	    "array of u64s that holds the output bitmap, with 1 bit "
	    "reporting a *page_size* unit of IOVA."),
	BEH(B_MIG_WRITE_STATE, "mig-data-write.resuming-state", RULE_MUST,
	    "VFIO_USER_MIG_DATA_WRITE", "This command is used to write data "
	    "to the destination migration server while it is in the "
	    "``RESUMING`` state."),
#undef BEH
};

#undef C
#undef S

const struct rule *
lint_rules(size_t *n)
{
	*n = R_COUNT;
	return (rules);
}

const struct rule *
lint_rule_find(const char *id)
{
	size_t	i;

	for (i = 0; i < R_COUNT; i++)
		if (strcmp(rules[i].id, id) == 0)
			return (&rules[i]);
	return (NULL);
}

const char *
rule_level_str(enum rule_level l)
{
	switch (l) {
	case RULE_MUST:
		return ("must");
	case RULE_SHOULD:
		return ("should");
	case RULE_MAY:
		return ("may");
	}
	return ("?");
}

/* One check run over one received message. */
struct lint {
	struct session		*s;
	const uint8_t		*buf;
	size_t			 len;
	size_t			 nfds;
	const struct vfu_hdr	*h;
	const struct vfu_msg	*m;		/* decoded body, or NULL */
	const struct session_req *req;		/* answered request, or NULL */
	const struct vfu_msg	*rq;		/* its decoded form, or NULL */
	lint_report_fn		*fn;
	void			*arg;
	unsigned		 n;
};

static void lint_fail(struct lint *l, enum rule_idx r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
lint_fail(struct lint *l, enum rule_idx r, const char *fmt, ...)
{
	char	seen[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(seen, sizeof(seen), fmt, ap);
	va_end(ap);
	l->n++;
	if (l->fn != NULL)
		l->fn(l->arg, &rules[r], seen);
}

static const char *
cmd_name(uint16_t cmd)
{
	const char *n = vfu_command_name(cmd);

	return (n != NULL ? n : "unknown command");
}

int
lint_sent(struct session *s, const uint8_t *buf, size_t len, size_t nfds)
{
	struct vfu_hdr	h;

	/* Anything but a reply may be answered: a message with invalid type
	 * bits gets an error reply from a careful peer. */
	if (vfu_hdr_decode(buf, len, &h, NULL) == -1 ||
	    (h.flags & VFIO_USER_F_TYPE_MASK) == VFIO_USER_F_TYPE_REPLY)
		return (0);
	return (session_add_request(s, buf, len, nfds));
}

/* Does the command go from the client to the server? */
static int
client_to_server(uint16_t cmd)
{
	const struct vfu_msg_desc *md = vfu_msg_desc(cmd, 0);

	return (md != NULL && md->dir == VFU_CLIENT_TO_SERVER);
}

/* The max_msg_fds the peer must respect: the one the harness announced. */
static uint64_t
own_max_fds(const struct session *s)
{
	return (s->role == SESSION_CLIENT ? s->client_caps.max_msg_fds :
	    s->server_caps.max_msg_fds);
}

static uint64_t
own_max_xfer(const struct session *s)
{
	return (s->role == SESSION_CLIENT ?
	    s->client_caps.max_data_xfer_size :
	    s->server_caps.max_data_xfer_size);
}

/* ---- replies (the harness is the client) ------------------------------ */

static void
check_version_reply(struct lint *l)
{
	const struct vfu_version *v = &l->m->u.version;
	const struct vfu_version *p = &l->rq->u.version;
	struct vfu_caps	caps, proposed;
	struct diag	d;
	char		ds[700], why[1024];

	if (v->major != p->major)
		lint_fail(l, R_VER_MAJOR, "proposed %u.%u, reply has major %u",
		    p->major, p->minor, v->major);
	if (v->minor > p->minor)
		lint_fail(l, R_VER_MINOR, "proposed %u.%u, reply has minor %u",
		    p->major, p->minor, v->minor);
	if (caps_parse(p->data, p->data_len, &proposed, NULL) == -1)
		caps_init(&proposed);
	if (caps_parse(v->data, v->data_len, &caps, &d) == -1) {
		lint_fail(l, R_VER_JSON, "reply version data: %s",
		    diag_str(&d, ds, sizeof(ds)));
		caps_init(&caps);
	} else if (caps_check_subset(&proposed, &caps, why, sizeof(why)) > 0)
		lint_fail(l, R_VER_SUBSET, "%s", why);
	if (caps.twin_supported && !proposed.twin_supported)
		lint_fail(l, R_VER_TWIN, "twin_socket.supported is true in the "
		    "reply; the client did not propose it");
	else if (caps.twin_supported &&
	    (!(caps.have & VFU_CAP_HAVE_TWIN_FD_INDEX) ||
	    caps.twin_fd_index >= l->nfds))
		lint_fail(l, R_VER_TWIN, "twin_socket.supported is true but "
		    "fd_index %s the %zu fd%s sent",
		    caps.have & VFU_CAP_HAVE_TWIN_FD_INDEX ?
		    "is outside" : "is missing; there were", l->nfds,
		    l->nfds == 1 ? "" : "s");
	l->s->client_caps = proposed;
	l->s->server_caps = caps;
	l->s->major = v->major;
	l->s->minor = v->minor < p->minor ? v->minor : p->minor;
	l->s->negotiated = 1;
}

/* The argsz rules (spec "Message sizes") for replies that carry argsz. */
static void
check_argsz(struct lint *l, uint32_t req_argsz, uint32_t rep_argsz,
    size_t fixed)
{
	size_t	plen = l->len - VFIO_USER_HDR_SIZE;
	size_t	limit = req_argsz > fixed ? req_argsz : fixed;

	if (plen > limit)
		lint_fail(l, R_ARGSZ_LIMIT, "%s reply payload is %zu bytes; "
		    "the request's argsz was %u", cmd_name(l->h->command),
		    plen, req_argsz);
	if (rep_argsz < plen)
		lint_fail(l, R_ARGSZ_FULL, "%s reply argsz %u is smaller than "
		    "the %zu-byte payload it carries",
		    cmd_name(l->h->command), rep_argsz, plen);
	else if (rep_argsz > plen && rep_argsz <= req_argsz)
		lint_fail(l, R_ARGSZ_FULL, "%s reply argsz %u says the full "
		    "payload fits the request's argsz %u, yet only %zu bytes "
		    "came", cmd_name(l->h->command), rep_argsz, req_argsz,
		    plen);
}

static void
check_region_info_reply(struct lint *l)
{
	const struct vfu_region_info *r = &l->m->u.region_info;
	const struct vfu_region_info *q = &l->rq->u.region_info;

	check_argsz(l, q->argsz, r->argsz, VFIO_USER_REGION_INFO_SIZE);
	if (r->index != q->index)
		lint_fail(l, R_REGION_INDEX, "asked for region %u, the reply "
		    "describes region %u", q->index, r->index);
	if ((r->flags & VFIO_REGION_INFO_FLAG_MMAP) && l->nfds == 0)
		lint_fail(l, R_MMAP_FD, "region %u has "
		    "VFIO_REGION_INFO_FLAG_MMAP and the reply carried no fd",
		    r->index);
	if (!(r->flags & VFIO_REGION_INFO_FLAG_CAPS) && r->cap_offset != 0)
		lint_fail(l, R_CAPS_FLAG, "region %u: cap_offset %u but "
		    "VFIO_REGION_INFO_FLAG_CAPS is clear", r->index,
		    r->cap_offset);
	if (r->ncaps == 0 && !r->caps_truncated &&
	    (r->flags & VFIO_REGION_INFO_FLAG_CAPS))
		lint_fail(l, R_CAPS_FLAG, "region %u: "
		    "VFIO_REGION_INFO_FLAG_CAPS is set but the complete reply "
		    "(argsz %u) has no capability", r->index, r->argsz);
	if (r->index < SESSION_MAX_REGIONS) {
		l->s->regions[r->index].known = 1;
		l->s->regions[r->index].flags = r->flags;
		l->s->regions[r->index].size = r->size;
	}
}

static void
check_io_fds_reply(struct lint *l)
{
	const struct vfu_region_io_fds *r = &l->m->u.region_io_fds;
	const struct vfu_region_io_fds *q = &l->rq->u.region_io_fds;
	size_t	i;

	check_argsz(l, q->argsz, r->argsz, VFIO_USER_REGION_IO_FDS_SIZE);
	if (r->index != q->index)
		lint_fail(l, R_IOFDS_INDEX, "asked for region %u, the reply "
		    "is for region %u", q->index, r->index);
	if (r->flags != 0)
		lint_fail(l, R_IOFDS_FLAGS, "reply flags 0x%x", r->flags);
	if (r->nsub > 0 && l->nfds == 0)
		lint_fail(l, R_IOFDS_FD, "%zu sub-region%s and no fd", r->nsub,
		    r->nsub == 1 ? "" : "s");
	for (i = 0; i < r->nsub; i++)
		if (l->nfds > 0 && r->sub_regions[i].fd_index >= l->nfds) {
			lint_fail(l, R_IOFDS_FD_INDEX, "sub_regions[%zu]."
			    "fd_index %u, but only %zu fd%s came", i,
			    r->sub_regions[i].fd_index, l->nfds,
			    l->nfds == 1 ? "" : "s");
			break;
		}
}

static void
check_feature_reply(struct lint *l)
{
	const struct vfu_device_feature *r = &l->m->u.feature;
	const struct vfu_device_feature *q = &l->rq->u.feature;
	size_t	plen = l->len - VFIO_USER_HDR_SIZE;
	size_t	qlen = l->rq->payload_len;
	uint64_t bits, words, i, b;

	if (q->flags & (VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_PROBE)) {
		if (plen != qlen || memcmp(l->m->payload, l->rq->payload,
		    plen) != 0)
			lint_fail(l, R_FEAT_ECHO, "%s reply payload (%zu "
			    "bytes) differs from the request's (%zu bytes)",
			    q->flags & VFIO_DEVICE_FEATURE_PROBE ? "PROBE" :
			    "SET", plen, qlen);
		return;
	}
	if (!(q->flags & VFIO_DEVICE_FEATURE_GET))
		return;
	check_argsz(l, q->argsz, r->argsz, VFIO_USER_DEVICE_FEATURE_SIZE);
	if (r->argsz != plen && r->argsz != q->argsz + r->data_len &&
	    plen >= r->argsz)
		lint_fail(l, R_FEAT_GET_ARGSZ, "GET reply argsz %u with %zu "
		    "data bytes", r->argsz, r->data_len);
	switch (q->flags & VFIO_DEVICE_FEATURE_MASK) {
	case VFIO_DEVICE_FEATURE_MIGRATION:
		if (r->form == VFU_FEATURE_DATA_MIGRATION &&
		    !(r->mig_flags & VFIO_MIGRATION_STOP_COPY))
			lint_fail(l, R_MIG_STOP_COPY, "migration flags 0x%"
			    PRIx64, r->mig_flags);
		break;
	case VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE:
		if (r->form == VFU_FEATURE_DATA_MIG_STATE &&
		    (r->device_state > VFIO_DEVICE_STATE_PRE_COPY ||
		    r->device_state == VFIO_DEVICE_STATE_RUNNING_P2P))
			lint_fail(l, R_MIG_STATE, "device_state %u is not a "
			    "vfio-user state", r->device_state);
		break;
	case VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT:
		if (r->form != VFU_FEATURE_DATA_LOGGING_REPORT ||
		    q->form != VFU_FEATURE_DATA_LOGGING_REPORT ||
		    q->page_size == 0)
			break;
		bits = q->length / q->page_size +
		    (q->length % q->page_size != 0);
		words = r->bitmap_words;
		for (i = bits; i < words * 64; i++) {
			b = r->bitmap[i / 64];
			if (b & (1ull << (i % 64))) {
				lint_fail(l, R_REPORT_OUTSIDE, "bit %" PRIu64
				    " is set; the range [0x%" PRIx64 " +0x%"
				    PRIx64 "] at page size 0x%" PRIx64 " has %"
				    PRIu64 " bits", i, q->iova, q->length,
				    q->page_size, bits);
				break;
			}
		}
		break;
	}
}

static void
check_reply_body(struct lint *l)
{
	const struct vfu_msg *m = l->m, *q = l->rq;

	switch (l->h->command) {
	case VFIO_USER_VERSION:
		check_version_reply(l);
		break;
	case VFIO_USER_DMA_MAP:
		session_dma_add(l->s, q->u.dma_map.address, q->u.dma_map.size,
		    q->u.dma_map.flags, l->req->nfds > 0);
		break;
	case VFIO_USER_DMA_UNMAP:
		if (m->u.dma_unmap.argsz != q->u.dma_unmap.argsz ||
		    m->u.dma_unmap.flags != q->u.dma_unmap.flags ||
		    m->u.dma_unmap.address != q->u.dma_unmap.address ||
		    m->u.dma_unmap.size != q->u.dma_unmap.size)
			lint_fail(l, R_UNMAP_ECHO, "request {argsz %u, flags "
			    "0x%x, address 0x%" PRIx64 ", size 0x%" PRIx64 "}, "
			    "reply {argsz %u, flags 0x%x, address 0x%" PRIx64
			    ", size 0x%" PRIx64 "}", q->u.dma_unmap.argsz,
			    q->u.dma_unmap.flags, q->u.dma_unmap.address,
			    q->u.dma_unmap.size, m->u.dma_unmap.argsz,
			    m->u.dma_unmap.flags, m->u.dma_unmap.address,
			    m->u.dma_unmap.size);
		(void)session_dma_remove(l->s, q->u.dma_unmap.address,
		    q->u.dma_unmap.size);
		break;
	case VFIO_USER_DEVICE_GET_INFO:
		check_argsz(l, q->u.device_info.argsz, m->u.device_info.argsz,
		    VFIO_USER_DEVICE_INFO_SIZE);
		if (!(m->u.device_info.flags & VFIO_DEVICE_FLAGS_PCI))
			lint_fail(l, R_INFO_PCI, "flags 0x%x lack "
			    "VFIO_DEVICE_FLAGS_PCI", m->u.device_info.flags);
		break;
	case VFIO_USER_DEVICE_GET_REGION_INFO:
		check_region_info_reply(l);
		break;
	case VFIO_USER_DEVICE_GET_REGION_IO_FDS:
		check_io_fds_reply(l);
		break;
	case VFIO_USER_DEVICE_GET_IRQ_INFO:
		check_argsz(l, q->u.irq_info.argsz, m->u.irq_info.argsz,
		    VFIO_USER_IRQ_INFO_SIZE);
		if (m->u.irq_info.index != q->u.irq_info.index)
			lint_fail(l, R_IRQ_INDEX, "asked for IRQ index %u, the "
			    "reply is for %u", q->u.irq_info.index,
			    m->u.irq_info.index);
		break;
	case VFIO_USER_REGION_READ:
		if (m->u.region_access.offset != q->u.region_access.offset ||
		    m->u.region_access.region != q->u.region_access.region)
			lint_fail(l, R_READ_ECHO, "read region %u offset 0x%"
			    PRIx64 ", reply says region %u offset 0x%" PRIx64,
			    q->u.region_access.region,
			    q->u.region_access.offset,
			    m->u.region_access.region,
			    m->u.region_access.offset);
		if (m->u.region_access.count > q->u.region_access.count ||
		    m->u.region_access.data_len != m->u.region_access.count)
			lint_fail(l, R_READ_COUNT, "asked for %u bytes, reply "
			    "count %u with %zu data bytes",
			    q->u.region_access.count,
			    m->u.region_access.count,
			    m->u.region_access.data_len);
		break;
	case VFIO_USER_REGION_WRITE:
		if (m->u.region_access.offset != q->u.region_access.offset ||
		    m->u.region_access.region != q->u.region_access.region ||
		    m->u.region_access.count > q->u.region_access.count)
			lint_fail(l, R_WRITE_ECHO, "wrote %u bytes to region %u "
			    "offset 0x%" PRIx64 ", reply says %u bytes, region "
			    "%u offset 0x%" PRIx64, q->u.region_access.count,
			    q->u.region_access.region,
			    q->u.region_access.offset,
			    m->u.region_access.count,
			    m->u.region_access.region,
			    m->u.region_access.offset);
		break;
	case VFIO_USER_REGION_WRITE_MULTI:
		if (m->u.write_multi.wr_cnt > q->u.write_multi.wr_cnt)
			lint_fail(l, R_WM_COUNT, "sent %" PRIu64 " writes, "
			    "reply says %" PRIu64 " completed",
			    q->u.write_multi.wr_cnt, m->u.write_multi.wr_cnt);
		break;
	case VFIO_USER_DEVICE_FEATURE:
		check_feature_reply(l);
		break;
	case VFIO_USER_MIG_DATA_READ:
		check_argsz(l, q->u.mig_data.argsz, m->u.mig_data.argsz,
		    VFIO_USER_MIG_DATA_SIZE);
		if (m->u.mig_data.size > q->u.mig_data.size ||
		    m->u.mig_data.data_len != m->u.mig_data.size)
			lint_fail(l, R_MIGREAD_SIZE, "asked for %u bytes, reply "
			    "size %u with %zu data bytes", q->u.mig_data.size,
			    m->u.mig_data.size, m->u.mig_data.data_len);
		if (m->u.mig_data.argsz !=
		    VFIO_USER_MIG_DATA_SIZE + (uint64_t)m->u.mig_data.size)
			lint_fail(l, R_MIGREAD_ARGSZ, "reply argsz %u with size "
			    "%u", m->u.mig_data.argsz, m->u.mig_data.size);
		break;
	}
}

/* Replies that have no payload: spec sections DMA_MAP, SET_IRQS,
 * DEVICE_RESET, MIG_DATA_WRITE. */
static int
reply_is_empty(uint16_t cmd)
{
	return (cmd == VFIO_USER_DMA_MAP || cmd == VFIO_USER_DEVICE_SET_IRQS ||
	    cmd == VFIO_USER_DEVICE_RESET || cmd == VFIO_USER_MIG_DATA_WRITE);
}

/*
 * A region info reply with bytes after the 32-byte structure while
 * VFIO_REGION_INFO_FLAG_CAPS is clear: the decoder cannot tell what they
 * are, so it is judged here, before decoding, under the rule it breaks.
 */
static int
caps_without_flag(struct lint *l)
{
	struct rbuf	rb;
	uint32_t	flags;
	size_t		plen = l->len - VFIO_USER_HDR_SIZE;

	if (l->h->command != VFIO_USER_DEVICE_GET_REGION_INFO ||
	    plen <= VFIO_USER_REGION_INFO_SIZE)
		return (0);
	rbuf_init(&rb, l->buf + VFIO_USER_HDR_SIZE + 4, 4, 0);
	if (rbuf_u32(&rb, &flags, "flags", NULL) == -1 ||
	    (flags & VFIO_REGION_INFO_FLAG_CAPS))
		return (0);
	lint_fail(l, R_CAPS_FLAG, "the reply carries %zu bytes after the "
	    "32-byte region info but VFIO_REGION_INFO_FLAG_CAPS is clear",
	    plen - VFIO_USER_REGION_INFO_SIZE);
	return (1);
}

/* ---- requests from the peer ------------------------------------------- */

/* A server-to-client DMA request (the harness is the client). */
static void
check_dma_request(struct lint *l)
{
	const struct vfu_dma_access *a = &l->m->u.dma_access;
	const struct session_dma *w;
	int	write = l->h->command == VFIO_USER_DMA_WRITE;

	if (a->count > own_max_xfer(l->s))
		lint_fail(l, R_XFER_MAX, "%s count %" PRIu64 " exceeds the "
		    "client's max_data_xfer_size %" PRIu64,
		    cmd_name(l->h->command), a->count, own_max_xfer(l->s));
	w = session_dma_find(l->s, a->address, a->count);
	if (w == NULL)
		lint_fail(l, R_DMA_MAPPED, "%s [0x%" PRIx64 " +0x%" PRIx64
		    "] lies in no mapped DMA window (%zu mapped)",
		    cmd_name(l->h->command), a->address, a->count,
		    l->s->ndma);
	else if (!(w->flags & (write ? VFIO_USER_F_DMA_REGION_WRITE :
	    VFIO_USER_F_DMA_REGION_READ)))
		lint_fail(l, R_DMA_PERM, "%s [0x%" PRIx64 " +0x%" PRIx64
		    "] in a window mapped without %s",
		    cmd_name(l->h->command), a->address, a->count,
		    write ? "writeable" : "readable");
}

/* A client request (the harness is the server). */
static void
check_client_request(struct lint *l)
{
	const struct vfu_msg *m = l->m;
	size_t	i;

	switch (l->h->command) {
	case VFIO_USER_DEVICE_GET_INFO:
		if (m->u.device_info.flags != 0 ||
		    m->u.device_info.num_regions != 0 ||
		    m->u.device_info.num_irqs != 0)
			lint_fail(l, R_FIELDS_ZERO, "DEVICE_GET_INFO request "
			    "flags 0x%x num_regions %u num_irqs %u",
			    m->u.device_info.flags,
			    m->u.device_info.num_regions,
			    m->u.device_info.num_irqs);
		break;
	case VFIO_USER_DEVICE_GET_REGION_INFO:
		if (m->u.region_info.flags != 0 ||
		    m->u.region_info.cap_offset != 0 ||
		    m->u.region_info.size != 0 || m->u.region_info.offset != 0)
			lint_fail(l, R_FIELDS_ZERO, "GET_REGION_INFO request "
			    "has non-zero fields besides argsz and index");
		break;
	case VFIO_USER_DEVICE_GET_REGION_IO_FDS:
		if (m->u.region_io_fds.flags != 0 ||
		    m->u.region_io_fds.count != 0)
			lint_fail(l, R_FIELDS_ZERO, "GET_REGION_IO_FDS request "
			    "flags 0x%x count %u", m->u.region_io_fds.flags,
			    m->u.region_io_fds.count);
		break;
	case VFIO_USER_DEVICE_GET_IRQ_INFO:
		if (m->u.irq_info.flags != 0 || m->u.irq_info.count != 0)
			lint_fail(l, R_FIELDS_ZERO, "GET_IRQ_INFO request "
			    "flags 0x%x count %u", m->u.irq_info.flags,
			    m->u.irq_info.count);
		break;
	case VFIO_USER_DMA_MAP:
		if (l->nfds == 0 && m->u.dma_map.offset != 0)
			lint_fail(l, R_MAP_OFFSET_ZERO, "DMA_MAP without an fd "
			    "has offset 0x%" PRIx64, m->u.dma_map.offset);
		break;
	case VFIO_USER_DMA_UNMAP:
		if (session_dma_remove(l->s, m->u.dma_unmap.address,
		    m->u.dma_unmap.size) == -1)
			lint_fail(l, R_UNMAP_MATCH, "DMA_UNMAP [0x%" PRIx64
			    " +0x%" PRIx64 "] matches no mapping",
			    m->u.dma_unmap.address, m->u.dma_unmap.size);
		break;
	case VFIO_USER_REGION_READ:
	case VFIO_USER_REGION_WRITE:
		if (m->u.region_access.count > own_max_xfer(l->s))
			lint_fail(l, R_XFER_MAX, "%s count %u exceeds the "
			    "server's max_data_xfer_size %" PRIu64,
			    cmd_name(l->h->command), m->u.region_access.count,
			    own_max_xfer(l->s));
		break;
	case VFIO_USER_REGION_WRITE_MULTI:
		if (!l->s->server_caps.write_multiple)
			lint_fail(l, R_WM_NEGOTIATED, "REGION_WRITE_MULTI sent; "
			    "the server did not offer write_multiple");
		for (i = 0; i < m->u.write_multi.nwrs; i++)
			if (m->u.write_multi.wrs[i].count >
			    VFIO_USER_WRITE_MULTI_DATA) {
				lint_fail(l, R_WM_ENTRY, "wrs[%zu].count %u",
				    i, m->u.write_multi.wrs[i].count);
				break;
			}
		break;
	}
}

/* ---- the entry points ------------------------------------------------- */

static void
lint_reply(struct lint *l, struct lint_result *res)
{
	const struct session_req *nr;
	struct diag	d;
	char		ds[700];
	long		i;

	i = session_find_pending(l->s, l->h->msg_id);
	if (i == -1) {
		nr = session_find_noreply(l->s, l->h->msg_id);
		if (nr != NULL)
			lint_fail(l, R_HDR_NO_REPLY, "a reply (msg_id %u) to "
			    "%s, which was sent with No_reply",
			    l->h->msg_id, cmd_name(nr->msg.hdr.command));
		else
			lint_fail(l, R_HDR_MSG_ID, "a reply with msg_id %u "
			    "(%s) answers no outstanding request",
			    l->h->msg_id, cmd_name(l->h->command));
		res->kind = LINT_STRAY;
		return;
	}
	if (i != 0 && l->s->role == SESSION_CLIENT)
		lint_fail(l, R_HDR_ORDER, "the reply to msg_id %u (%s) came "
		    "before the reply to msg_id %u (%s), sent earlier",
		    l->h->msg_id, cmd_name(l->s->pending[i].msg.hdr.command),
		    l->s->pending[0].msg.hdr.msg_id,
		    cmd_name(l->s->pending[0].msg.hdr.command));
	session_take_pending(l->s, (size_t)i, &res->req);
	res->kind = LINT_REPLY;
	l->req = &res->req;
	l->rq = res->req.decoded ? &res->req.msg : NULL;

	if (l->h->command != res->req.msg.hdr.command) {
		/* Its body cannot be read as the reply it answers. */
		lint_fail(l, R_HDR_COMMAND, "reply to %s (msg_id %u) carries "
		    "command %u", cmd_name(res->req.msg.hdr.command),
		    l->h->msg_id, l->h->command);
		return;
	}
	if (l->h->flags & VFIO_USER_F_ERROR) {
		if (l->len != VFIO_USER_HDR_SIZE)
			lint_fail(l, R_HDR_ERR_ONLY, "error reply to %s "
			    "(error %u) is %zu bytes: %zu after the header",
			    cmd_name(l->h->command), l->h->error, l->len,
			    l->len - VFIO_USER_HDR_SIZE);
		return;
	}
	if (reply_is_empty(l->h->command) && l->len != VFIO_USER_HDR_SIZE) {
		lint_fail(l, R_NO_PAYLOAD, "%s reply carries %zu payload bytes",
		    cmd_name(l->h->command), l->len - VFIO_USER_HDR_SIZE);
		return;
	}
	if (caps_without_flag(l))
		return;
	if (vfu_msg_decode(l->buf, l->len, &res->msg, &d) == -1) {
		lint_fail(l, R_WELL_FORMED, "%s reply: %s",
		    cmd_name(l->h->command), diag_str(&d, ds, sizeof(ds)));
		return;
	}
	res->decoded = 1;
	l->m = &res->msg;
	if (l->rq != NULL && l->h->command == res->req.msg.hdr.command)
		check_reply_body(l);
}

static void
lint_request(struct lint *l, struct lint_result *res)
{
	struct diag	d;
	char		ds[700];
	long		i;

	res->kind = LINT_REQUEST;
	if (l->h->error != 0)
		lint_fail(l, R_HDR_ERROR_RESERVED, "%s request has error %u",
		    cmd_name(l->h->command), l->h->error);
	if (l->s->role == SESSION_CLIENT) {
		/* A request the server sends that matches an outstanding
		 * request of ours: a reply without its Reply bit. */
		i = session_find_pending(l->s, l->h->msg_id);
		if (client_to_server(l->h->command) && i != -1 &&
		    l->s->pending[i].msg.hdr.command == l->h->command) {
			lint_fail(l, R_HDR_REPLY_BIT, "a message answering %s "
			    "(msg_id %u) has type 0 (command), flags 0x%x",
			    cmd_name(l->h->command), l->h->msg_id,
			    l->h->flags);
			res->kind = LINT_STRAY;
			return;
		}
		if (l->h->command != VFIO_USER_DMA_READ &&
		    l->h->command != VFIO_USER_DMA_WRITE) {
			lint_fail(l, R_DIRECTION, "the server sent %s (%u) as a "
			    "request", cmd_name(l->h->command),
			    l->h->command);
			return;
		}
	} else {
		if (!client_to_server(l->h->command)) {
			lint_fail(l, R_DIRECTION, "the client sent %s (%u) as "
			    "a request", cmd_name(l->h->command),
			    l->h->command);
			return;
		}
		if (!l->s->negotiated && l->h->command != VFIO_USER_VERSION)
			lint_fail(l, R_VER_FIRST, "the first message was %s",
			    cmd_name(l->h->command));
	}
	if (vfu_msg_decode(l->buf, l->len, &res->msg, &d) == -1) {
		lint_fail(l, R_WELL_FORMED, "%s request: %s",
		    cmd_name(l->h->command), diag_str(&d, ds, sizeof(ds)));
		return;
	}
	res->decoded = 1;
	l->m = &res->msg;
	if (l->s->role == SESSION_CLIENT) {
		check_dma_request(l);
		return;
	}
	if (l->h->command == VFIO_USER_VERSION) {
		if (caps_parse(res->msg.u.version.data,
		    res->msg.u.version.data_len, &l->s->client_caps, &d) == -1) {
			lint_fail(l, R_VER_JSON, "proposal version data: %s",
			    diag_str(&d, ds, sizeof(ds)));
			caps_init(&l->s->client_caps);
		}
		l->s->major = res->msg.u.version.major;
		l->s->minor = res->msg.u.version.minor;
		l->s->negotiated = 1;
	}
	check_client_request(l);
}

void
lint_received(struct session *s, const uint8_t *buf, size_t len,
    size_t nfds, size_t fds_dropped, lint_report_fn *fn, void *arg,
    struct lint_result *res)
{
	struct lint	l;
	unsigned	type;

	memset(res, 0, sizeof(*res));
	memset(&l, 0, sizeof(l));
	l.s = s;
	l.buf = buf;
	l.len = len;
	l.nfds = nfds;
	l.fn = fn;
	l.arg = arg;
	if (vfu_hdr_decode(buf, len, &res->hdr, NULL) == -1) {
		lint_fail(&l, R_WELL_FORMED, "a message of %zu bytes, shorter "
		    "than the 16-byte header", len);
		res->kind = LINT_STRAY;
		res->nfindings = l.n;
		return;
	}
	l.h = &res->hdr;
	if (nfds + fds_dropped > own_max_fds(s))
		lint_fail(&l, R_MAX_FDS, "%s carried %zu fds; the receiver's "
		    "max_msg_fds is %" PRIu64, cmd_name(res->hdr.command),
		    nfds + fds_dropped, own_max_fds(s));
	type = res->hdr.flags & VFIO_USER_F_TYPE_MASK;
	if (type == VFIO_USER_F_TYPE_REPLY)
		lint_reply(&l, res);
	else if (type == VFIO_USER_F_TYPE_COMMAND)
		lint_request(&l, res);
	else {
		lint_fail(&l, R_HDR_TYPE, "msg_id %u (%s) has type %u",
		    res->hdr.msg_id, cmd_name(res->hdr.command), type);
		res->kind = LINT_STRAY;
	}
	res->nfindings = l.n;
}

void
lint_broken_frame(struct session *s, const uint8_t *hdr, size_t got,
    const char *what, lint_report_fn *fn, void *arg)
{
	struct lint	l;
	struct rbuf	rb;
	uint32_t	msg_size = 0;
	uint16_t	cmd = 0;

	memset(&l, 0, sizeof(l));
	l.s = s;
	l.fn = fn;
	l.arg = arg;
	rbuf_init(&rb, hdr, got < VFIO_USER_HDR_SIZE ? got :
	    VFIO_USER_HDR_SIZE, 0);
	(void)rbuf_skip(&rb, 2, "msg_id", NULL);
	(void)rbuf_u16(&rb, &cmd, "command", NULL);
	if (rbuf_u32(&rb, &msg_size, "msg_size", NULL) == -1)
		lint_fail(&l, R_HDR_MSG_SIZE, "the peer stopped after %zu "
		    "byte%s of a header: %s", got, got == 1 ? "" : "s", what);
	else
		lint_fail(&l, R_HDR_MSG_SIZE, "a %s message claims msg_size "
		    "%u; %zu bytes came: %s", cmd_name(cmd), msg_size, got,
		    what);
}

void
lint_result_free(struct lint_result *res)
{
	if (res->decoded)
		vfu_msg_release(&res->msg);
	session_req_free(&res->req);
	memset(res, 0, sizeof(*res));
}
