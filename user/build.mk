# User programs: libsys and every program in user/tests and user/bin, built apart from the kernel
# (no kernel object is linked in and no kernel header is visible to a program).
#
# The top-level Makefile includes this fragment after defining GEN and GEN_FILES; it uses BUILD,
# CC, AR, OBJCOPY, NM and OBJDUMP from there and puts everything under $(BUILD)/user/:
#
#     libsys.a        the C/C++ runtime: crt0, system-call stubs, string, stdio, stdlib, C++ support
#     NAME.elf        each program, linked at 0x04000000 by user/user.ld
#     NAME.flat       the same image as a flat binary (.bss included), entered at its first byte
#     NAME.sym/.dis   symbol listing and disassembly, as for the kernel
#     obj/            object files, mirroring the source tree
#
# A program is one source file (user/bin/NAME.c), or a folder of them (user/bin/NAME/*.c, with
# its own headers) when one file would grow too long: the shell is user/bin/sh/.
#
# Exports USER_ALL (every .elf and .flat) and USER_PROGRAMS (program names). See user/README.md.

BUILD    ?= build
OBJCOPY  ?= objcopy
NM       ?= nm
OBJDUMP  ?= objdump

USER_OUT     := $(BUILD)/user
USER_OBJ_DIR := $(USER_OUT)/obj
LIBSYS_A     := $(USER_OUT)/libsys.a

# --- Generated from abi/syscalls.tbl -------------------------------------------------------------
# The top-level Makefile owns the rule that runs gen.py (GEN, GEN_FILES). This copy of it only
# serves when the fragment is used on its own (make -f user/build.mk), so there is never a second
# recipe writing the same files. gen.py leaves unchanged files alone, hence the touch.
ifndef GEN_FILES
GEN       := $(BUILD)/gen
GEN_FILES := $(GEN)/abi/syscall_numbers.h $(GEN)/kernel/syscall_table.c \
             $(GEN)/kernel/syscall_handlers.h \
             $(GEN)/libsys/syscalls.h $(GEN)/libsys/syscall_stubs.c docs/syscalls.md

$(GEN_FILES) &: abi/syscalls.tbl abi/syscalls.status tools/ringlet/gen.py
	python3 tools/ringlet/gen.py abi/syscalls.tbl $(GEN) docs/syscalls.md
	touch $(GEN_FILES)
endif
USER_GEN_HEADERS := $(GEN)/abi/syscall_numbers.h $(GEN)/libsys/syscalls.h

# --- Flags ---------------------------------------------------------------------------------------
# Freestanding i686 code. -nostdinc hides the host's libc headers; GCC's own directory still
# provides stdarg.h, stddef.h, stdint.h and stdbool.h.
USER_GCC_INCLUDE  := $(shell $(CC) -print-file-name=include)
USER_TARGET_FLAGS := -m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
                     -fno-omit-frame-pointer -fno-strict-aliasing -O2 -g \
                     -Wall -Wextra -Werror -nostdinc -isystem $(USER_GCC_INCLUDE)
# Floating point: libsys and every program are built without it (-mgeneral-regs-only), so no
# printf or memcpy ever touches an x87 or SSE register behind a program's back. Programs named
# fpu* are the exception: they test that the kernel keeps each process's x87 and SSE state
# across switches, so they get x87 and SSE2 code (doubles in SSE registers). The variable is
# target-specific, so it is expanded in the recipes below, not folded into USER_CFLAGS.
USER_FLOAT_FLAGS := -mgeneral-regs-only
# Programs see libsys's headers, abi/ (through -I.) and the generated headers. libsys also sees
# kernel/, only so that the shared kernel/lib sources and their headers resolve.
USER_INCLUDES    := -Iuser/libsys/include -Iuser/libsys -I. -I$(GEN) -I$(GEN)/libsys
LIBSYS_INCLUDES  := $(USER_INCLUDES) -Ikernel
USER_CFLAGS      := -std=gnu11 $(USER_TARGET_FLAGS) -MMD -MP
# Clang compiles C++ hosted (-fno-builtin instead of -ffreestanding): a freestanding Clang gives
# main no special meaning and mangles its name. GCC stays freestanding, or its <stdint.h> would
# look for a C library's.
ifeq ($(COMPILER),clang)
USER_CXX_TARGET_FLAGS := $(filter-out -ffreestanding,$(USER_TARGET_FLAGS)) -fno-builtin
else
USER_CXX_TARGET_FLAGS := $(USER_TARGET_FLAGS)
endif
USER_CXXFLAGS    := -std=gnu++17 -fno-exceptions -fno-rtti -fno-threadsafe-statics \
                    $(USER_CXX_TARGET_FLAGS) -MMD -MP
USER_ASFLAGS     := -m32 -g -nostdinc -MMD -MP
USER_LDFLAGS     := -m32 -nostdlib -static -Wl,--build-id=none -Wl,-z,noexecstack \
                    $(USE_LD) -T user/user.ld
USER_LIBS        := -Wl,--start-group $(LIBSYS_A) $(RTLIB) -Wl,--end-group

# --- Sources -------------------------------------------------------------------------------------
# libsys compiles the kernel's pure string and format code again with user flags: one source,
# two builds, so no formatting or string function is written twice.
LIBSYS_SRC := $(wildcard user/libsys/*.c user/libsys/*.S user/libsys/*.cc) \
              kernel/lib/string.c kernel/lib/format.c kernel/lib/calendar.c
USER_PROGRAM_SRC := $(wildcard user/tests/*.c user/tests/*.cc user/bin/*.c user/bin/*.cc \
                              user/servers/*.c)

# Programs of several files: user/bin/NAME/*.c.
USER_FOLDER_SRC   := $(wildcard user/bin/*/*.c)
USER_FOLDER_NAMES := $(sort $(notdir $(patsubst %/,%,$(dir $(USER_FOLDER_SRC)))))

# The system-call fuzzer's parts (user/fuzz/), linked into syscall_fuzz only, and the table
# tools/ringlet/fuzzgen.py makes from abi/syscalls.tbl and abi/syscall_args.tbl.
FUZZ_SRC   := $(wildcard user/fuzz/*.c)
FUZZ_TABLE := $(GEN)/fuzz/syscall_table.h

USER_PROGRAM_NAMES := $(basename $(notdir $(USER_PROGRAM_SRC))) $(USER_FOLDER_NAMES)
USER_PROGRAMS      := $(sort $(USER_PROGRAM_NAMES))
USER_DUPLICATES    := $(strip $(foreach n,$(USER_PROGRAMS),\
                          $(if $(word 2,$(filter $(n),$(USER_PROGRAM_NAMES))),$(n))))
ifneq ($(USER_DUPLICATES),)
$(error two user programs are called $(USER_DUPLICATES); rename one)
endif

user_obj = $(addprefix $(USER_OBJ_DIR)/,$(addsuffix .o,$(basename $(1))))

LIBSYS_OBJ       := $(call user_obj,$(LIBSYS_SRC)) $(USER_OBJ_DIR)/gen/syscall_stubs.o
USER_PROGRAM_OBJ := $(call user_obj,$(USER_PROGRAM_SRC) $(USER_FOLDER_SRC))
FUZZ_OBJ         := $(call user_obj,$(FUZZ_SRC))
USER_OBJ         := $(LIBSYS_OBJ) $(USER_PROGRAM_OBJ) $(FUZZ_OBJ)

USER_ELFS  := $(USER_PROGRAMS:%=$(USER_OUT)/%.elf)
USER_FLATS := $(USER_PROGRAMS:%=$(USER_OUT)/%.flat)
USER_ALL   := $(USER_ELFS) $(USER_FLATS)

# --- Compiling -----------------------------------------------------------------------------------
# Static pattern rules, so the top-level $(BUILD)/%.o rules (kernel flags) never apply here.
$(LIBSYS_OBJ): USER_INC = $(LIBSYS_INCLUDES)
$(USER_PROGRAM_OBJ) $(FUZZ_OBJ): USER_INC = $(USER_INCLUDES)
$(call user_obj,$(filter user/tests/fpu% user/bin/fpu%,$(USER_PROGRAM_SRC))): \
    USER_FLOAT_FLAGS = -msse2 -mfpmath=sse

$(call user_obj,$(filter %.c,$(LIBSYS_SRC) $(USER_PROGRAM_SRC) $(USER_FOLDER_SRC) $(FUZZ_SRC))): \
		$(USER_OBJ_DIR)/%.o: %.c $(USER_GEN_HEADERS) user/build.mk
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_FLOAT_FLAGS) $(USER_INC) -c $< -o $@

$(call user_obj,$(filter %.cc,$(LIBSYS_SRC) $(USER_PROGRAM_SRC))): \
		$(USER_OBJ_DIR)/%.o: %.cc $(USER_GEN_HEADERS) user/build.mk
	@mkdir -p $(@D)
	$(CC) $(USER_CXXFLAGS) $(USER_FLOAT_FLAGS) $(USER_INC) -c $< -o $@

$(call user_obj,$(filter %.S,$(LIBSYS_SRC))): \
		$(USER_OBJ_DIR)/%.o: %.S $(USER_GEN_HEADERS) user/build.mk
	@mkdir -p $(@D)
	$(CC) $(USER_ASFLAGS) $(USER_INC) -c $< -o $@

$(USER_OBJ_DIR)/gen/syscall_stubs.o: $(GEN)/libsys/syscall_stubs.c $(USER_GEN_HEADERS) \
		user/build.mk
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) $(USER_FLOAT_FLAGS) $(USER_INC) -c $< -o $@

$(FUZZ_TABLE): abi/syscalls.tbl abi/syscall_args.tbl tools/ringlet/fuzzgen.py tools/ringlet/gen.py
	python3 tools/ringlet/fuzzgen.py abi/syscalls.tbl abi/syscall_args.tbl $@
	touch $@

$(USER_OBJ_DIR)/user/fuzz/table.o: $(FUZZ_TABLE)

# --- Linking -------------------------------------------------------------------------------------
# The archive is rebuilt from scratch so a deleted source leaves no stale member behind.
$(LIBSYS_A): $(LIBSYS_OBJ)
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcsD $@ $(LIBSYS_OBJ)

# Which object each program is made of: one recipe-less rule per program.
$(foreach src,$(USER_PROGRAM_SRC),\
    $(eval $(USER_OUT)/$(basename $(notdir $(src))).elf: $(call user_obj,$(src))))
folder_src = $(filter user/bin/$(1)/%,$(USER_FOLDER_SRC))
$(foreach name,$(USER_FOLDER_NAMES),\
    $(eval $(USER_OUT)/$(name).elf: $(call user_obj,$(call folder_src,$(name)))))

$(USER_OUT)/syscall_fuzz.elf: $(FUZZ_OBJ)

# Links one program, writes its listings, and refuses an image whose first byte is not _start
# (its flat binary would start executing somewhere else).
$(USER_ELFS): $(USER_OUT)/%.elf: $(LIBSYS_A) user/user.ld
	@mkdir -p $(@D)
	$(LINK_CC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^) $(USER_LIBS)
	$(NM) -n $@ > $(@:.elf=.sym)
	$(OBJDUMP) -d -S --no-show-raw-insn $@ > $(@:.elf=.dis)
	@awk '$$3 == "_start" { s = $$1 } $$3 == "__user_image_start" { i = $$1 } \
	      END { exit s == "" || s != i }' $(@:.elf=.sym) || \
	    { echo "$@: _start is not the first byte of the image" >&2; rm -f $@; exit 1; }

# A flat binary is the memory image from 0x04000000 on, .bss written out as zeros.
$(USER_FLATS): $(USER_OUT)/%.flat: $(USER_OUT)/%.elf
	$(OBJCOPY) -O binary --set-section-flags .bss=alloc,load,contents $< $@

-include $(USER_OBJ:.o=.d)
