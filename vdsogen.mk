# vdsogen.mk — build vDSO images from a Makefile, Kbuild style.
#
# Include it, then instantiate one rule per image:
#
#   VDSOGEN := path/to/vdsogen            # default: vdsogen on PATH
#   include path/to/vdsogen.mk
#   $(eval $(call vdsogen_image,NAME,MANIFEST,OUTDIR[,PREFIX]))
#
# which makes OUTDIR/NAME.so, NAME.so.dbg, NAME-image.h and NAME-image.c from MANIFEST (with the
# C prefix PREFIX, default the manifest's). As Kbuild's if_changed, the rule runs vdsogen every
# time (FORCE) and vdsogen decides by content -- sources, headers, linker script, manifest, and
# the tools themselves (clang, ld.lld, objcopy by their --version; vdsogen by its build-id), which
# timestamps cannot capture -- so a no-op costs about 12 ms, prints nothing and
# touches no output (so nothing built from the outputs is remade). Output is one line per image
# rebuilt,
#
#     VDSO    out/vdso.so
#
# and the commands themselves with V=1. OUTDIR/NAME.d lists every input for tools that want it.
#
# NAME_IMAGE_FILES lists the four outputs, e.g. for a `clean` rule; the C source is in
# NAME_IMAGE_C, the header in NAME_IMAGE_H.

VDSOGEN ?= vdsogen

ifeq ($(V),1)
vdsogen_quiet_flag := --verbose
else
vdsogen_quiet_flag := --summary
endif

# Kbuild's FORCE: a prerequisite that is never up to date, so vdsogen always gets to decide.
.PHONY: FORCE
FORCE:

# $(1) NAME  $(2) MANIFEST  $(3) OUTDIR  $(4) PREFIX (optional)
define vdsogen_image
$(1)_IMAGE_FILES := $(3)/$(1).so $(3)/$(1).so.dbg $(3)/$(1)-image.h $(3)/$(1)-image.c
$(1)_IMAGE_C := $(3)/$(1)-image.c
$(1)_IMAGE_H := $(3)/$(1)-image.h

$(3)/$(1).so $(3)/$(1).so.dbg $(3)/$(1)-image.h $(3)/$(1)-image.c &: $(2) FORCE
	$$(if $$(filter 1,$$(V)),,@)$$(VDSOGEN) build $(2) --output-dir $(3) --name $(1) $(if $(4),--prefix $(4)) --depfile $(3)/$(1).d $$(vdsogen_quiet_flag)

-include $(3)/$(1).d
endef
