# vdsogen.mk — build vDSO images from a Makefile, Kbuild style.
#
# Include it, then instantiate one rule per image:
#
#   VDSOGEN := path/to/vdsogen            # default: vdsogen on PATH
#   include path/to/vdsogen.mk
#   $(eval $(call vdsogen_image,NAME,MANIFEST,OUTDIR[,PREFIX]))
#
# which makes OUTDIR/NAME.so, NAME.so.dbg, NAME-image.h and NAME-image.c from MANIFEST (with the
# C prefix PREFIX, default the manifest's), and records every input (sources, headers, linker
# script, manifest, the vdsogen binary) in OUTDIR/NAME.d, so the image is rebuilt exactly when
# one of them changes. Output is one line per image,
#
#     VDSO    out/vdso.so
#
# and the commands themselves with V=1. vdsogen itself skips work whose inputs are unchanged
# (by content), so a spurious Make trigger costs a few milliseconds.
#
# NAME_IMAGE_FILES lists the four outputs, e.g. for a `clean` rule; the C source is in
# NAME_IMAGE_C, the header in NAME_IMAGE_H.

VDSOGEN ?= vdsogen

ifeq ($(V),1)
vdsogen_quiet_flag := --verbose
vdsogen_echo = @true
else
vdsogen_quiet_flag := --quiet
vdsogen_echo = @printf '  %-7s %s\n'
endif

# $(1) NAME  $(2) MANIFEST  $(3) OUTDIR  $(4) PREFIX (optional)
define vdsogen_image
$(1)_IMAGE_FILES := $(3)/$(1).so $(3)/$(1).so.dbg $(3)/$(1)-image.h $(3)/$(1)-image.c
$(1)_IMAGE_C := $(3)/$(1)-image.c
$(1)_IMAGE_H := $(3)/$(1)-image.h

$(3)/$(1).so $(3)/$(1).so.dbg $(3)/$(1)-image.h $(3)/$(1)-image.c &: $(2)
	$$(vdsogen_echo) VDSO $(3)/$(1).so
	$$(if $$(filter 1,$$(V)),,@)$$(VDSOGEN) build $(2) --output-dir $(3) --name $(1) $(if $(4),--prefix $(4)) --depfile $(3)/$(1).d $$(vdsogen_quiet_flag)

-include $(3)/$(1).d
endef
