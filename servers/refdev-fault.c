/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * refdev-fault: the fault catalogue of vfu-refdev (negative controls).  One
 * row per fault: its stable name, the spec section and the sentence of the
 * spec (quoted verbatim) that the fault breaks.  The table order is the enum
 * order in refdev-fault.h; `vfu-refdev --list-faults` prints it.
 */
#include "config.h"
#include "refdev-fault.h"

#include <string.h>

#define F(id, n, s, t)	[id] = { .name = n, .section = s, .sentence = t }

const struct refdev_fault_info refdev_faults[RF_NFAULTS] = {
	F(RF_MSG_ID_NOT_ECHOED, "msg-id-not-echoed", "Header",
	    "Message ID identifies the message, and is echoed in the "
	    "command's reply message."),
	F(RF_REPLY_BIT_MISSING, "reply-bit-missing", "Header",
	    "The reply consists of the header with the Reply bit set, plus "
	    "any additional data."),
	F(RF_REPLY_COMMAND_WRONG, "reply-command-wrong", "Header",
	    "Command specifies the command to be executed, listed in "
	    "Commands. It is also set in the reply header."),
	F(RF_MSG_SIZE_WRONG, "msg-size-wrong", "Header",
	    "Message size contains the size of the entire message, including "
	    "the header."),
	F(RF_ERROR_REPLY_PAYLOAD, "error-reply-payload", "Header",
	    "If an error occurs, the reply message must only include the "
	    "reply header."),
	F(RF_ERROR_BIT_MISSING, "error-bit-missing", "Header",
	    "Error in a reply message indicates the command being "
	    "acknowledged had an error."),
	F(RF_NO_REPLY_ANSWERED, "no-reply-answered", "Header",
	    "No_reply in a command message indicates that no reply is needed "
	    "for this command."),
	F(RF_REPLY_DROPPED, "reply-dropped", "Header",
	    "Each command message in Commands must be replied to with a reply "
	    "message, unless the message sets the No_Reply bit."),
	F(RF_REPLIES_OUT_OF_ORDER, "replies-out-of-order",
	    "Command Concurrency",
	    "The server will process commands in the order they are "
	    "received."),
	F(RF_UNKNOWN_COMMAND_ACCEPTED, "unknown-command-accepted", "Commands",
	    "The following table lists the VFIO message command IDs, and "
	    "whether the message command is sent from the client or the "
	    "server."),
	F(RF_TYPE_INVALID_ACCEPTED, "type-invalid-accepted", "Header",
	    "*Command* (value 0x0) indicates a command message. *Reply* "
	    "(value 0x1) indicates a reply message acknowledging a previous "
	    "command with the same message ID."),
	F(RF_MALFORMED_ACCEPTED, "malformed-accepted", "Header",
	    "As the header is standard in both requests and replies, it is "
	    "not included in the command-specific specifications below; each "
	    "message definition should be appended to the standard header, "
	    "and the offsets are given from the end of the standard header."),
	F(RF_MSG_SIZE_BELOW_HEADER_ACCEPTED, "msg-size-below-header-accepted",
	    "Header",
	    "Message size contains the size of the entire message, including "
	    "the header."),
	F(RF_COMMAND_BEFORE_VERSION_ACCEPTED,
	    "command-before-version-accepted", "VFIO_USER_VERSION",
	    "Upon establishing a connection, the client must send a "
	    "VFIO_USER_VERSION message proposing a protocol version and a set "
	    "of capabilities."),
	F(RF_VERSION_MINOR_HIGHER, "version-minor-higher",
	    "VFIO_USER_VERSION",
	    "The minor version in the reply must be equal to or less than the "
	    "minor version proposed."),
	F(RF_VERSION_MAJOR_DIFFERENT, "version-major-different",
	    "VFIO_USER_VERSION",
	    "The major version in the reply must be the same as proposed."),
	F(RF_VERSION_CAPS_NOT_SUBSET, "version-caps-not-subset",
	    "VFIO_USER_VERSION",
	    "The capability list must be a subset of those proposed."),
	F(RF_VERSION_JSON_INVALID, "version-json-invalid",
	    "VFIO_USER_VERSION",
	    "The version data is an optional UTF-8 encoded JSON byte array "
	    "with the following format:"),
	F(RF_VERSION_JSON_NO_NUL, "version-json-no-nul", "VFIO_USER_VERSION",
	    "version data 4 variable (including terminating NUL). Optional."),
	F(RF_TWIN_SOCKET_FD_INDEX_MISSING, "twin-socket-fd-index-missing",
	    "VFIO_USER_VERSION",
	    "Indicate the index in the file descriptor array by the "
	    "twin_socket.fd_index capability field in the reply, so the "
	    "client can identify the correct file descriptor to use."),
	F(RF_MAX_MSG_FDS_EXCEEDED, "max-msg-fds-exceeded",
	    "VFIO_USER_VERSION",
	    "max_msg_fds: Maximum number of file descriptors that can be "
	    "received by the sender in one message."),
	F(RF_MAX_DATA_XFER_NOT_ENFORCED, "max-data-xfer-not-enforced",
	    "Read and Write Operations",
	    "The count field must not exceed the value of max_data_xfer_size "
	    "of the peer, for both reads and writes."),
	F(RF_VERSION_BAD_JSON_ACCEPTED, "version-bad-json-accepted",
	    "VFIO_USER_VERSION",
	    "The version data is an optional UTF-8 encoded JSON byte array "
	    "with the following format:"),
	F(RF_VERSION_MAJOR_UNSUPPORTED_ACCEPTED,
	    "version-major-unsupported-accepted", "Connection Initiation",
	    "The server replies with a compatible version and set of "
	    "capabilities it supports, or closes the connection if it cannot "
	    "support the advertised version."),
	F(RF_VERSION_NO_DATA_REFUSED, "version-no-data-refused",
	    "VFIO_USER_VERSION",
	    "The version data is an optional UTF-8 encoded JSON byte array "
	    "with the following format:"),
	F(RF_DEVICE_INFO_NOT_PCI, "device-info-not-pci",
	    "VFIO_USER_DEVICE_GET_INFO",
	    "This version of the protocol only supports PCI devices."),
	F(RF_DEVICE_INFO_ARGSZ_WRONG, "device-info-argsz-wrong",
	    "VFIO_USER_DEVICE_GET_INFO",
	    "argsz is the size required for the full reply payload (16 bytes "
	    "today)"),
	F(RF_DEVICE_INFO_NUM_REGIONS_LOW, "device-info-num-regions-low",
	    "Device-Specific Regions",
	    "Such regions are reflected in "
	    "struct vfio_user_device_info.num_regions."),
	F(RF_REGION_INFO_ARGSZ_SMALL, "region-info-argsz-small",
	    "VFIO_USER_DEVICE_GET_REGION_INFO",
	    "argsz is the size required for the full reply payload (region "
	    "info structure plus the size of any region capabilities)"),
	F(RF_REGION_INFO_CAPS_OVERFLOW, "region-info-caps-overflow",
	    "Message sizes",
	    "This may be larger than the requested maximum size: in that "
	    "case, the full payload is not included in the reply, but the "
	    "argsz field in the reply indicates the needed size, allowing a "
	    "client to allocate a larger buffer for holding the reply before "
	    "trying again."),
	F(RF_REGION_INFO_MMAP_NO_FD, "region-info-mmap-no-fd",
	    "VFIO_USER_DEVICE_GET_REGION_INFO",
	    "When this flag is set, the reply will include a file descriptor "
	    "in its meta-data."),
	F(RF_REGION_INFO_CAP_OFFSET_BAD, "region-info-cap-offset-bad",
	    "VFIO_USER_DEVICE_GET_REGION_INFO",
	    "cap_offset describes where additional region capabilities can be "
	    "found."),
	F(RF_SPARSE_MMAP_NR_AREAS_WRONG, "sparse-mmap-nr-areas-wrong",
	    "VFIO region info cap sparse mmap",
	    "There will be nr_areas pairs of offset and size."),
	F(RF_REGION_TYPE_CAP_MISSING, "region-type-cap-missing",
	    "Device-Specific Regions",
	    "This is achieved by including a VFIO_REGION_INFO_CAP_TYPE "
	    "capability in the region info reply of a device-specific "
	    "region."),
	F(RF_IO_FDS_NO_FD, "io-fds-no-fd",
	    "VFIO_USER_DEVICE_GET_REGION_IO_FDS",
	    "The reply message will additionally include at least one file "
	    "descriptor in the ancillary data."),
	F(RF_IO_FDS_FLAGS_NONZERO, "io-fds-flags-nonzero",
	    "VFIO_USER_DEVICE_GET_REGION_IO_FDS", "flags must be zero"),
	F(RF_IRQ_INFO_INDEX_NOT_ECHOED, "irq-info-index-not-echoed",
	    "VFIO_USER_DEVICE_GET_IRQ_INFO",
	    "index is the index of IRQ type being queried"),
	F(RF_ARGSZ_NEEDED_NOT_REPORTED, "argsz-needed-not-reported",
	    "Message sizes",
	    "This may be larger than the requested maximum size: in that "
	    "case, the full payload is not included in the reply, but the "
	    "argsz field in the reply indicates the needed size, allowing a "
	    "client to allocate a larger buffer for holding the reply before "
	    "trying again."),
	F(RF_REGION_INFO_INDEX_NOT_ECHOED, "region-info-index-not-echoed",
	    "VFIO_USER_DEVICE_GET_REGION_INFO",
	    "index is the index of memory region being queried, it is the "
	    "only field that is required to be set in the command message."),
	F(RF_REGION_INFO_BAD_INDEX_ACCEPTED, "region-info-bad-index-accepted",
	    "Security Considerations",
	    "Standard tools and mechanisms should be used on both sides to "
	    "validate input and prevent against denial of service scenarios, "
	    "buffer overflow, etc."),
	F(RF_REGION_INFO_READONLY_WRITABLE, "region-info-readonly-writable",
	    "VFIO_USER_DEVICE_GET_REGION_INFO",
	    "VFIO_REGION_INFO_FLAG_WRITE allows client write access to the "
	    "region."),
	F(RF_REGION_ACCESS_PAST_END, "region-access-past-end",
	    "VFIO_USER_DEVICE_GET_REGION_INFO", "size is the size of the region."),
	F(RF_REGION_WRITE_READONLY_ACCEPTED, "region-write-readonly-accepted",
	    "VFIO_USER_DEVICE_GET_REGION_INFO",
	    "VFIO_REGION_INFO_FLAG_WRITE allows client write access to the "
	    "region."),
	F(RF_REGION_READ_SHORT_DATA, "region-read-short-data",
	    "VFIO_USER_REGION_READ", "count is the size of the data transferred."),
	F(RF_REGION_WRITE_REPLY_DATA, "region-write-reply-data",
	    "VFIO_USER_REGION_WRITE",
	    "Reply: offset 0 8, region 8 4, count 12 4 (no data field)."),
	F(RF_CONFIG_RO_WRITABLE, "config-ro-writable", "Device Read and Write",
	    "The server will reply with data from the device on read "
	    "operations or an acknowledgement on write operations. "
	    "(Read-only PCI configuration fields ignore writes.)"),
	F(RF_BAR_SIZING_BROKEN, "bar-sizing-broken", "Device Read and Write",
	    "The server will reply with data from the device on read "
	    "operations or an acknowledgement on write operations. "
	    "(A BAR reads back its size mask after all ones are written.)"),
	F(RF_WRITE_MULTI_COUNT_WRONG, "write-multi-count-wrong",
	    "VFIO_USER_REGION_WRITE_MULTI",
	    "wr_cnt is the number of device writes completed."),
	F(RF_REGION_ABSENT_ACCESS_ACCEPTED, "region-absent-access-accepted",
	    "VFIO_USER_DEVICE_GET_REGION_INFO",
	    "size is the size of the region."),
	F(RF_REGION_WRITE_NOT_APPLIED, "region-write-not-applied",
	    "Device Read and Write",
	    "The server will reply with data from the device on read "
	    "operations or an acknowledgement on write operations."),
	F(RF_DMA_MAP_OVERLAP_ACCEPTED, "dma-map-overlap-accepted",
	    "VFIO_USER_DMA_MAP",
	    "A command to map over an existing region must be failed by the "
	    "server with EEXIST set in error field in the reply."),
	F(RF_DMA_UNMAP_INEXACT_ACCEPTED, "dma-unmap-inexact-accepted",
	    "VFIO_USER_DMA_UNMAP",
	    "The address and size of the DMA region being unmapped must match "
	    "exactly a previous mapping."),
	F(RF_DMA_UNMAP_NO_ECHO, "dma-unmap-no-echo", "VFIO_USER_DMA_UNMAP",
	    "The server responds with the original DMA entry in the request."),
	F(RF_DMA_MAX_MAPS_IGNORED, "dma-max-maps-ignored", "VFIO_USER_VERSION",
	    "max_dma_maps: Maximum number DMA map windows that can be valid "
	    "simultaneously."),
	F(RF_DMA_MAP_INVALID_ACCEPTED, "dma-map-invalid-accepted",
	    "Security Considerations",
	    "Standard tools and mechanisms should be used on both sides to "
	    "validate input and prevent against denial of service scenarios, "
	    "buffer overflow, etc."),
	F(RF_DMA_OUTSIDE_WINDOW, "dma-outside-window", "VFIO_USER_DMA_READ",
	    "This address must have been previously exported to the server "
	    "with a VFIO_USER_DMA_MAP message."),
	F(RF_DMA_AFTER_UNMAP, "dma-after-unmap", "VFIO_USER_DMA_UNMAP",
	    "Upon receiving a VFIO_USER_DMA_UNMAP command, if the file "
	    "descriptor is mapped then the server must release all references "
	    "to that DMA region before replying, which potentially includes "
	    "in-flight DMA transactions."),
	F(RF_DMA_WRITE_READONLY_MAP, "dma-write-readonly-map",
	    "VFIO_USER_DMA_MAP",
	    "writeable indicates that the region can be written to."),
	F(RF_DMA_XFER_OVER_MAX, "dma-xfer-over-max",
	    "Read and Write Operations",
	    "The count field must not exceed the value of max_data_xfer_size "
	    "of the peer, for both reads and writes."),
	F(RF_DMA_ON_MAIN_SOCKET, "dma-on-main-socket", "VFIO_USER_DMA_READ",
	    "This message and its reply are passed over the separate "
	    "server-to-client socket if twin-socket mode has been negotiated "
	    "during connection setup."),
	F(RF_DMA_MSG_ADDRESS_RELATIVE, "dma-msg-address-relative",
	    "VFIO_USER_DMA_READ",
	    "This address must have been previously exported to the server "
	    "with a VFIO_USER_DMA_MAP message."),
	F(RF_DMA_WRITEABLE_MAP_REFUSED, "dma-writeable-map-refused",
	    "VFIO_USER_DMA_MAP",
	    "writeable indicates that the region can be written to."),
	F(RF_IRQ_NOT_SIGNALLED, "irq-not-signalled",
	    "VFIO_USER_DEVICE_SET_IRQS",
	    "These descriptors will be signalled when the action defined by "
	    "the action flags occurs."),
	F(RF_IRQ_MASK_IGNORED, "irq-mask-ignored", "VFIO_USER_DEVICE_SET_IRQS",
	    "It can be used with VFIO_IRQ_SET_DATA_BOOL or "
	    "VFIO_IRQ_SET_DATA_NONE to mask an interrupt"),
	F(RF_IRQ_DISABLE_ALL_IGNORED, "irq-disable-all-ignored",
	    "VFIO_USER_DEVICE_SET_IRQS",
	    "As a special case, a count (and start) of 0, with data flags of "
	    "VFIO_IRQ_SET_DATA_NONE disables all interrupts of the index."),
	F(RF_IRQ_SET_BAD_FLAGS_ACCEPTED, "irq-set-bad-flags-accepted",
	    "VFIO_USER_DEVICE_SET_IRQS",
	    "The flags are mutually exclusive for both sets."),
	F(RF_FEATURE_PROBE_WRONG, "feature-probe-wrong",
	    "VFIO_USER_DEVICE_FEATURE",
	    "If VFIO_DEVICE_FEATURE_GET and/or VFIO_DEVICE_FEATURE_SET are "
	    "also set, the probe will only return success if all of the "
	    "indicated methods are supported."),
	F(RF_FEATURE_GET_SET_ACCEPTED, "feature-get-set-accepted",
	    "VFIO_USER_DEVICE_FEATURE",
	    "VFIO_DEVICE_FEATURE_GET and VFIO_DEVICE_FEATURE_SET are mutually "
	    "exclusive, except for use with VFIO_DEVICE_FEATURE_PROBE."),
	F(RF_FEATURE_ARGSZ_NOT_UPDATED, "feature-argsz-not-updated",
	    "VFIO_USER_DEVICE_FEATURE",
	    "For getting a feature's data, the data is added in the data "
	    "section and its length is added to argsz."),
	F(RF_FEATURE_UNKNOWN_PROBE_OK, "feature-unknown-probe-ok",
	    "VFIO_USER_DEVICE_FEATURE",
	    "If VFIO_DEVICE_FEATURE_GET and/or VFIO_DEVICE_FEATURE_SET are "
	    "also set, the probe will only return success if all of the "
	    "indicated methods are supported."),
	F(RF_MIG_STOP_COPY_TO_PRE_COPY_ALLOWED,
	    "mig-stop-copy-to-pre-copy-allowed", "Direct State Transitions",
	    "The STOP_COPY -> PRE_COPY transition is explicitly not allowed "
	    "and should return an error if requested."),
	F(RF_MIG_COMPLEX_TRANSITION_REFUSED, "mig-complex-transition-refused",
	    "Complex State Transitions",
	    "The remaining possible transitions are to be implemented as "
	    "combinations of the above FSM arcs."),
	F(RF_MIG_STATE_NOT_REPORTED, "mig-state-not-reported",
	    "VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE",
	    "device_state is the current state of the device (for GET) or the "
	    "state to transition to (for SET)."),
	F(RF_MIG_DATA_SHORT_READ_EARLY, "mig-data-short-read-early",
	    "VFIO_USER_MIG_DATA_READ",
	    "If this is less than the requested size, there is no more "
	    "migration data to read."),
	F(RF_MIG_RESUME_ACCEPTS_INVALID, "mig-resume-accepts-invalid",
	    "Direct State Transitions",
	    "If the delivered data is found to be incomplete, inconsistent, "
	    "or otherwise invalid, fail the SET command and optionally "
	    "transition to the ERROR state."),
	F(RF_MIG_DATA_READ_WRONG_STATE, "mig-data-read-wrong-state",
	    "VFIO_USER_MIG_DATA_READ",
	    "This command is used to read data from the source migration "
	    "server while it is in a saving group state (PRE_COPY or "
	    "STOP_COPY)."),
	F(RF_MIG_DATA_WRITE_WRONG_STATE, "mig-data-write-wrong-state",
	    "VFIO_USER_MIG_DATA_WRITE",
	    "This command is used to write data to the destination migration "
	    "server while it is in the RESUMING state."),
	F(RF_MIG_ERROR_RESET_IGNORED, "mig-error-reset-ignored",
	    "Direct State Transitions",
	    "To recover from ERROR, VFIO_USER_DEVICE_RESET must be used to "
	    "return back to RUNNING."),
	F(RF_DIRTY_BITMAP_MISSING_WRITES, "dirty-bitmap-missing-writes",
	    "VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT",
	    "The bitmap is an array of u64s that holds the output bitmap, "
	    "with 1 bit reporting a page_size unit of IOVA."),
	F(RF_DIRTY_BITMAP_OUTSIDE_BITS, "dirty-bitmap-outside-bits",
	    "VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT",
	    "The bits outside of the requested range must be zero."),
	F(RF_DIRTY_LOGS_READS, "dirty-logs-reads",
	    "VFIO_DEVICE_FEATURE_DMA_LOGGING_START",
	    "Only DMA writes are logged."),
	F(RF_RESET_NOT_RESTORING, "reset-not-restoring",
	    "VFIO_USER_DEVICE_RESET",
	    "This command message is sent from the client to the server to "
	    "reset the device."),
	F(RF_DISCONNECT_KEEPS_MAPPINGS, "disconnect-keeps-mappings",
	    "Client Disconnection",
	    "all client memory regions are unmapped and cleaned up (including "
	    "closing any passed file descriptors)"),
	F(RF_DISCONNECT_KEEPS_IRQ_FDS, "disconnect-keeps-irq-fds",
	    "Client Disconnection",
	    "all IRQ file descriptors passed from the old client are closed"),
	F(RF_DISCONNECT_RESETS_DEVICE, "disconnect-resets-device",
	    "Client Disconnection",
	    "the device state should otherwise be retained"),
	F(RF_CRASH_ON_BAD_INPUT, "crash-on-bad-input",
	    "Security Considerations",
	    "Standard tools and mechanisms should be used on both sides to "
	    "validate input and prevent against denial of service scenarios, "
	    "buffer overflow, etc."),
	F(RF_HANG_ON_BAD_INPUT, "hang-on-bad-input", "Command Concurrency",
	    "Note that it is still illegal for implementations to stall "
	    "command or reply processing indefinitely while waiting for "
	    "replies on the other channel, as this may lead to deadlocks."),
};

int
refdev_fault_lookup(const char *name)
{
	int	i;

	for (i = 0; i < RF_NFAULTS; i++) {
		if (refdev_faults[i].name != NULL &&
		    strcmp(refdev_faults[i].name, name) == 0)
			return (i);
	}
	return (-1);
}

void
refdev_faultset_clear(struct refdev_faultset *fs)
{
	memset(fs, 0, sizeof(*fs));
}

void
refdev_faultset_add(struct refdev_faultset *fs, enum refdev_fault f)
{
	fs->bits[f / 64] |= 1ull << (f % 64);
}

int
refdev_fault_on(const struct refdev_faultset *fs, enum refdev_fault f)
{
	return ((fs->bits[f / 64] >> (f % 64)) & 1);
}
