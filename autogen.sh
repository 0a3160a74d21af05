#!/bin/sh
# Regenerates the build system; nothing else.
set -e
autoreconf -fi "$@"
