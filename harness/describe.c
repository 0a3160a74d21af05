/* SPDX-License-Identifier: BSD-3-Clause */
/* describe: query and render a server's device; see describe.h. */
#include "config.h"
#include "describe.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "codec.h"
#include "diag.h"

/* Largest argsz the harness will retry GET_REGION_INFO/IO_FDS with. */
#define DESCRIBE_MAX_ARGSZ	65536

static const char *
region_name(uint32_t i, char *buf, size_t len)
{
	static const char *const names[] = { "BAR0", "BAR1", "BAR2", "BAR3",
	    "BAR4", "BAR5", "ROM", "config", "VGA" };

	if (i < sizeof(names) / sizeof(names[0]))
		snprintf(buf, len, "%s", names[i]);
	else
		snprintf(buf, len, "device-specific");
	return (buf);
}

static const char *
irq_name(uint32_t i)
{
	static const char *const names[] = { "INTx", "MSI", "MSI-X", "ERR",
	    "REQ" };

	return (i < sizeof(names) / sizeof(names[0]) ? names[i] : "other");
}

/* Renders a field's value through its table names ("READ|WRITE"). */
static const char *
fmt_field(uint16_t cmd, const char *field, uint64_t v, char *buf, size_t len)
{
	const struct vfu_msg_desc *md = vfu_msg_desc(cmd, 1);
	const struct vfu_field	  *f = NULL;

	if (md != NULL)
		f = vfu_field_find(md->fields, md->nfields, field);
	if (f == NULL) {
		snprintf(buf, len, "0x%" PRIx64, v);
		return (buf);
	}
	return (vfu_field_format(f, v, buf, len));
}

static void
done(struct lint_result *res, struct vfu_frame *rf)
{
	lint_result_free(res);
	transport_frame_release(rf);
}

/* One call; on a transport failure fills *d and returns -1, on an error
 * reply returns 1 (with *err), else 0. */
static int
call(struct client *c, struct vfu_msg *req, struct vfu_frame *rf,
    struct lint_result *res, uint32_t *err, struct diag *d)
{
	enum vfu_io io;

	io = client_call(c, req, NULL, 0, rf, res, d);
	if (io != VFU_IO_OK) {
		if (io != VFU_IO_ERROR)
			diag_set(d, "%s: %s", vfu_command_name(req->hdr.command),
			    vfu_io_str(io));
		return (-1);
	}
	if (res->hdr.flags & VFIO_USER_F_ERROR) {
		*err = res->hdr.error;
		done(res, rf);
		return (1);
	}
	if (!res->decoded) {
		/* The linter has reported why; nothing to show. */
		*err = 0;
		done(res, rf);
		return (1);
	}
	return (0);
}

static void
print_caps(const struct vfu_region_info *ri, FILE *out)
{
	size_t	i, j;

	for (i = 0; i < ri->ncaps; i++) {
		const struct vfu_region_cap *cap = &ri->caps[i];

		switch (cap->id) {
		case VFIO_REGION_INFO_CAP_SPARSE_MMAP:
			fprintf(out, "\t\tcap SPARSE_MMAP v%u at %u: %u area%s\n",
			    cap->version, cap->pos, cap->nr_areas,
			    cap->nr_areas == 1 ? "" : "s");
			for (j = 0; j < cap->nareas; j++)
				fprintf(out, "\t\t\tmmap [0x%" PRIx64 " +0x%"
				    PRIx64 "]\n", cap->areas[j].offset,
				    cap->areas[j].size);
			break;
		case VFIO_REGION_INFO_CAP_TYPE:
			fprintf(out, "\t\tcap TYPE v%u at %u: type 0x%x "
			    "subtype 0x%x\n", cap->version, cap->pos,
			    cap->type, cap->subtype);
			break;
		default:
			fprintf(out, "\t\tcap id %u v%u at %u: %zu bytes\n",
			    cap->id, cap->version, cap->pos, cap->body_len);
			break;
		}
	}
	if (ri->caps_truncated)
		fprintf(out, "\t\tcaps: not included (argsz %u)\n", ri->argsz);
}

static int
describe_io_fds(struct client *c, uint32_t index, FILE *out, struct diag *d)
{
	struct vfu_msg	 req;
	struct lint_result res;
	struct vfu_frame rf;
	uint32_t	 err = 0, argsz = 16 + 8 * VFIO_USER_IO_FD_SUB_REGION_SIZE;
	size_t		 i;
	int		 r, tries;

	for (tries = 0; tries < 2; tries++) {
		vfu_msg_init(&req, VFIO_USER_DEVICE_GET_REGION_IO_FDS, 0, 0);
		req.u.region_io_fds.argsz = argsz;
		req.u.region_io_fds.index = index;
		r = call(c, &req, &rf, &res, &err, d);
		if (r == -1)
			return (-1);
		if (r == 1) {
			fprintf(out, "\t\tio fds: none (error %u: %s)\n", err,
			    diag_strerror((int)err));
			break;
		}
		if (res.msg.u.region_io_fds.truncated &&
		    res.msg.u.region_io_fds.argsz > argsz &&
		    res.msg.u.region_io_fds.argsz <= DESCRIBE_MAX_ARGSZ &&
		    tries == 0) {
			argsz = res.msg.u.region_io_fds.argsz;
			done(&res, &rf);
			continue;
		}
		fprintf(out, "\t\tio fds: %u sub-region%s, %zu fd%s\n",
		    res.msg.u.region_io_fds.count,
		    res.msg.u.region_io_fds.count == 1 ? "" : "s", rf.nfds,
		    rf.nfds == 1 ? "" : "s");
		for (i = 0; i < res.msg.u.region_io_fds.nsub; i++) {
			const struct vfu_io_fd_sub_region *s =
			    &res.msg.u.region_io_fds.sub_regions[i];

			fprintf(out, "\t\t\t%s [0x%" PRIx64 " +0x%" PRIx64
			    "] fd_index %u%s flags 0x%x data 0x%" PRIx64 "\n",
			    s->type == VFIO_USER_IO_FD_TYPE_IOEVENTFD ?
			    "ioeventfd" : s->type ==
			    VFIO_USER_IO_FD_TYPE_IOREGIONFD ? "ioregionfd" :
			    "type?", s->offset, s->size, s->fd_index,
			    s->fd_index < rf.nfds ? "" : " (no such fd)",
			    s->flags, s->datamatch);
		}
		break;
	}
	if (r == 0) {
		done(&res, &rf);
	}
	return (0);
}

static int
describe_region(struct client *c, uint32_t index, FILE *out, struct diag *d)
{
	struct vfu_msg	 req;
	struct lint_result res;
	struct vfu_frame rf;
	char		 nm[32], fl[256];
	uint64_t	 size;
	uint32_t	 err = 0, argsz = VFIO_USER_REGION_INFO_SIZE;
	int		 r, tries;

	for (tries = 0;; tries++) {
		vfu_msg_init(&req, VFIO_USER_DEVICE_GET_REGION_INFO, 0, 0);
		req.u.region_info.argsz = argsz;
		req.u.region_info.index = index;
		r = call(c, &req, &rf, &res, &err, d);
		if (r == -1)
			return (-1);
		if (r == 1) {
			fprintf(out, "\tregion %u (%s): error %u (%s)\n", index,
			    region_name(index, nm, sizeof(nm)), err,
			    diag_strerror((int)err));
			return (0);
		}
		/* As QEMU does: ask again with the argsz the reply needs. */
		if (res.msg.u.region_info.caps_truncated && tries == 0 &&
		    res.msg.u.region_info.argsz > argsz &&
		    res.msg.u.region_info.argsz <= DESCRIBE_MAX_ARGSZ) {
			argsz = res.msg.u.region_info.argsz;
			done(&res, &rf);
			continue;
		}
		break;
	}
	fprintf(out, "\tregion %u (%s): size 0x%" PRIx64 " offset 0x%" PRIx64
	    " flags %s%s\n", index, region_name(index, nm, sizeof(nm)),
	    res.msg.u.region_info.size, res.msg.u.region_info.offset,
	    fmt_field(VFIO_USER_DEVICE_GET_REGION_INFO, "flags",
	    res.msg.u.region_info.flags, fl, sizeof(fl)),
	    rf.nfds > 0 ? ", mmap fd" : "");
	print_caps(&res.msg.u.region_info, out);
	size = res.msg.u.region_info.size;
	done(&res, &rf);
	if (size != 0)
		return (describe_io_fds(c, index, out, d));
	return (0);
}

static int
describe_irq(struct client *c, uint32_t index, FILE *out, struct diag *d)
{
	struct vfu_msg	 req;
	struct lint_result res;
	struct vfu_frame rf;
	char		 fl[256];
	uint32_t	 err = 0;
	int		 r;

	vfu_msg_init(&req, VFIO_USER_DEVICE_GET_IRQ_INFO, 0, 0);
	req.u.irq_info.argsz = VFIO_USER_IRQ_INFO_SIZE;
	req.u.irq_info.index = index;
	r = call(c, &req, &rf, &res, &err, d);
	if (r == -1)
		return (-1);
	if (r == 1) {
		fprintf(out, "\tirq %u (%s): error %u (%s)\n", index,
		    irq_name(index), err, diag_strerror((int)err));
		return (0);
	}
	fprintf(out, "\tirq %u (%s): count %u flags %s\n", index,
	    irq_name(index), res.msg.u.irq_info.count,
	    fmt_field(VFIO_USER_DEVICE_GET_IRQ_INFO, "flags",
	    res.msg.u.irq_info.flags, fl, sizeof(fl)));
	done(&res, &rf);
	return (0);
}

/* DEVICE_FEATURE with flags; 1 = error reply, 0 = ok with *res kept. */
static int
feature(struct client *c, uint32_t flags, struct vfu_frame *rf,
    struct lint_result *res, uint32_t *err, struct diag *d)
{
	struct vfu_msg	req;

	vfu_msg_init(&req, VFIO_USER_DEVICE_FEATURE, 0, 0);
	req.u.feature.flags = flags;
	vfu_msg_autofill(&req);
	return (call(c, &req, rf, res, err, d));
}

static int
describe_features(struct client *c, FILE *out, struct diag *d)
{
	struct lint_result res;
	struct vfu_frame rf;
	char		 fl[256];
	uint32_t	 err = 0;
	int		 r;

	r = feature(c, VFIO_DEVICE_FEATURE_MIGRATION |
	    VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_GET, &rf, &res, &err, d);
	if (r == -1)
		return (-1);
	if (r == 1) {
		fprintf(out, "\tmigration: not supported (error %u)\n",
		    err);
	} else {
		done(&res, &rf);
		r = feature(c, VFIO_DEVICE_FEATURE_MIGRATION |
		    VFIO_DEVICE_FEATURE_GET, &rf, &res, &err, d);
		if (r == -1)
			return (-1);
		if (r == 1)
			fprintf(out, "\tmigration: probe succeeded, GET failed "
			    "(error %u)\n", err);
		else {
			snprintf(fl, sizeof(fl), "%s%s%s",
			    res.msg.u.feature.mig_flags & VFIO_MIGRATION_STOP_COPY ?
			    "STOP_COPY " : "",
			    res.msg.u.feature.mig_flags & VFIO_MIGRATION_P2P ?
			    "P2P " : "",
			    res.msg.u.feature.mig_flags & VFIO_MIGRATION_PRE_COPY ?
			    "PRE_COPY " : "");
			fprintf(out, "\tmigration: flags 0x%" PRIx64 " %s\n",
			    res.msg.u.feature.mig_flags, fl);
			done(&res, &rf);
		}
		r = feature(c, VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE |
		    VFIO_DEVICE_FEATURE_GET, &rf, &res, &err, d);
		if (r == -1)
			return (-1);
		if (r == 0) {
			fprintf(out, "\tdevice state: %u\n",
			    res.msg.u.feature.device_state);
			done(&res, &rf);
		}
	}
	r = feature(c, VFIO_DEVICE_FEATURE_DMA_LOGGING_START |
	    VFIO_DEVICE_FEATURE_PROBE | VFIO_DEVICE_FEATURE_SET, &rf, &res, &err, d);
	if (r == -1)
		return (-1);
	fprintf(out, "\tdma logging: %s\n", r == 0 ? "supported" :
	    "not supported");
	if (r == 0) {
		done(&res, &rf);
	}
	return (0);
}

int
describe_run(struct client *c, FILE *out, struct diag *d)
{
	struct vfu_msg	 req;
	struct lint_result res;
	struct vfu_frame rf;
	char		 fl[256];
	uint32_t	 err = 0, i, nreg, nirq;
	int		 r;

	fprintf(out, "vfio-user %u.%u\n", VFIO_USER_MAJOR, c->sess.minor);
	fprintf(out, "\tcapabilities: max_msg_fds %" PRIu64 "%s, "
	    "max_data_xfer_size %" PRIu64 "%s, max_dma_maps %" PRIu64 "%s, "
	    "pgsizes 0x%" PRIx64 "%s, write_multiple %s, twin_socket %s\n",
	    c->sess.server_caps.max_msg_fds,
	    c->sess.server_caps.have & VFU_CAP_HAVE_MAX_MSG_FDS ? "" : " (default)",
	    c->sess.server_caps.max_data_xfer_size,
	    c->sess.server_caps.have & VFU_CAP_HAVE_MAX_DATA_XFER ? "" : " (default)",
	    c->sess.server_caps.max_dma_maps,
	    c->sess.server_caps.have & VFU_CAP_HAVE_MAX_DMA_MAPS ? "" : " (default)",
	    c->sess.server_caps.pgsizes,
	    c->sess.server_caps.have & VFU_CAP_HAVE_PGSIZES ? "" : " (default)",
	    c->sess.server_caps.write_multiple ? "yes" : "no",
	    c->sess.server_caps.twin_supported ? "yes" : "no");
	for (i = 0; i < c->sess.server_caps.nunknown && i < VFU_CAPS_MAX_UNKNOWN; i++)
		fprintf(out, "\tunknown capability: %s\n", c->sess.server_caps.unknown[i]);

	vfu_msg_init(&req, VFIO_USER_DEVICE_GET_INFO, 0, 0);
	req.u.device_info.argsz = VFIO_USER_DEVICE_INFO_SIZE;
	r = call(c, &req, &rf, &res, &err, d);
	if (r == -1)
		return (-1);
	if (r == 1)
		return (diag_set(d, "DEVICE_GET_INFO failed with error %u (%s)",
		    err, diag_strerror((int)err)));
	nreg = res.msg.u.device_info.num_regions;
	nirq = res.msg.u.device_info.num_irqs;
	fprintf(out, "device: flags %s, %u regions, %u irq types\n",
	    fmt_field(VFIO_USER_DEVICE_GET_INFO, "flags",
	    res.msg.u.device_info.flags, fl, sizeof(fl)), nreg, nirq);
	done(&res, &rf);

	fprintf(out, "regions:\n");
	for (i = 0; i < nreg && i < 1024; i++)
		if (describe_region(c, i, out, d) == -1)
			return (-1);
	if (nreg > 1024)
		fprintf(out, "\t(%u more regions not shown)\n", nreg - 1024);
	fprintf(out, "irqs:\n");
	for (i = 0; i < nirq && i < 64; i++)
		if (describe_irq(c, i, out, d) == -1)
			return (-1);
	fprintf(out, "features:\n");
	return (describe_features(c, out, d));
}
