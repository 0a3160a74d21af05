/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vfu-refdev: the reference vfio-user PCI device server of vfu-conform, with
 * fault switches that each break one requirement of the spec.  This file is
 * only the program: options (getopt_long), the spec's Backend Program
 * Conventions (--socket-path or --fd, no daemonizing, SIGTERM honoured
 * through a signalfd), and the accept loop that serves one client at a time
 * and keeps the device between clients.  The protocol is in refdev-conn.c,
 * the device in refdev-*.c.
 */
#include "config.h"

#include <sys/signalfd.h>
#include <sys/socket.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "refdev-conn.h"
#include "refdev-dev.h"
#include "refdev-fault.h"
#include "transport.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: vfu-refdev (--socket-path=PATH | --fd=N) [--fault=NAME]...\n"
	    "       vfu-refdev --list-faults\n"
	    "\n"
	    "  --socket-path=PATH  listen on the UNIX socket PATH\n"
	    "  --fd=N              use socket fd N (listening or connected)\n"
	    "  --fault=NAME        break one requirement (repeatable)\n"
	    "  --list-faults       print every fault: name, section, sentence\n"
	    "  --once              exit after the first client\n"
	    "  --help, --version\n");
}

static void
list_faults(void)
{
	int	i;

	for (i = 0; i < RF_NFAULTS; i++)
		printf("%s\t%s\t%s\n", refdev_faults[i].name,
		    refdev_faults[i].section, refdev_faults[i].sentence);
}

static int
is_listening(int fd)
{
	int		v = 0;
	socklen_t	len = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == -1)
		return (-1);
	return (v != 0);
}

/* Accepts and serves clients one at a time until SIGTERM (or, with once,
 * after the first).  Returns the exit status. */
static int
serve_listening(struct refdev *dev, int lfd, int sfd, int once)
{
	struct pollfd	pfd[2];
	struct vfu_conn	c;
	struct diag	d;
	char		buf[600];
	int		rc;

	for (;;) {
		pfd[0].fd = lfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = sfd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			perror("vfu-refdev: poll");
			return (1);
		}
		if (pfd[1].revents & POLLIN)
			return (0);
		if (!(pfd[0].revents & POLLIN))
			continue;
		diag_clear(&d);
		if (transport_accept(lfd, &c, transport_deadline(0), &d) !=
		    VFU_IO_OK)
			continue;
		rc = refdev_serve(dev, c.fd, sfd, &d);
		if (rc == -1) {
			fprintf(stderr, "vfu-refdev: %s\n",
			    diag_str(&d, buf, sizeof(buf)));
			return (1);
		}
		if (rc == 1 || once)
			return (0);
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket-path", required_argument, NULL, 's' },
		{ "fd", required_argument, NULL, 'f' },
		{ "fault", required_argument, NULL, 'F' },
		{ "list-faults", no_argument, NULL, 'L' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct refdev_faultset	 faults;
	struct refdev		*dev;
	struct diag		 d;
	sigset_t		 mask;
	const char		*path = NULL;
	char			*end, buf[600];
	long			 fdnum = -1;
	int			 ch, f, sfd, lfd, rc, once = 0, listening;

	refdev_faultset_clear(&faults);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			path = optarg;
			break;
		case 'f':
			errno = 0;
			fdnum = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || fdnum < 0 ||
			    fdnum > 65535) {
				fprintf(stderr, "vfu-refdev: bad --fd '%s'\n",
				    optarg);
				return (2);
			}
			break;
		case 'F':
			if ((f = refdev_fault_lookup(optarg)) < 0) {
				fprintf(stderr, "vfu-refdev: unknown fault "
				    "'%s' (see --list-faults)\n", optarg);
				return (2);
			}
			refdev_faultset_add(&faults, (enum refdev_fault)f);
			break;
		case 'L':
			list_faults();
			return (0);
		case 'o':
			once = 1;
			break;
		case 'h':
			usage(stdout);
			return (0);
		case 'V':
			printf("vfu-refdev (%s) %s\n", PACKAGE_NAME,
			    PACKAGE_VERSION);
			return (0);
		default:
			usage(stderr);
			return (2);
		}
	}
	if (optind != argc || (path == NULL) == (fdnum < 0)) {
		fprintf(stderr, "vfu-refdev: give exactly one of --socket-path "
		    "and --fd\n");
		usage(stderr);
		return (2);
	}

	/* SIGTERM and SIGINT end the server through a signalfd; a client
	 * that hangs up must not kill it with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) == -1 ||
	    (sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) == -1) {
		perror("vfu-refdev: signalfd");
		return (1);
	}
	if ((dev = refdev_new(&faults)) == NULL) {
		perror("vfu-refdev: device");
		return (1);
	}
	diag_clear(&d);
	if (path != NULL) {
		if ((lfd = transport_listen(path, 1, &d)) == -1) {
			fprintf(stderr, "vfu-refdev: %s\n",
			    diag_str(&d, buf, sizeof(buf)));
			refdev_free(dev);
			return (1);
		}
		rc = serve_listening(dev, lfd, sfd, once);
		close(lfd);
		unlink(path);
	} else {
		listening = is_listening((int)fdnum);
		if (listening == -1) {
			fprintf(stderr, "vfu-refdev: --fd=%ld: %s\n", fdnum,
			    strerror(errno));
			refdev_free(dev);
			return (1);
		}
		if (listening)
			rc = serve_listening(dev, (int)fdnum, sfd, once);
		else {
			rc = refdev_serve(dev, (int)fdnum, sfd, &d) == -1;
			if (rc)
				fprintf(stderr, "vfu-refdev: %s\n",
				    diag_str(&d, buf, sizeof(buf)));
		}
	}
	refdev_free(dev);
	close(sfd);
	return (rc);
}
