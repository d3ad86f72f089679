# Ringlet: compiles the kernel (and, for the host tests, the pure C parts) into build/.
# ./ringlet calls this; `make -j2` works on its own too.

BUILD      ?= build
GEN        := $(BUILD)/gen
HOST_CC    ?= gcc

# COMPILER=gcc (the default) or COMPILER=clang: Debian's clang and lld build the kernel, libsys
# and every program (./ringlet --cc clang puts that build in build/clang/). Clang's compiler-rt
# stands in for libgcc, and lld for GNU ld.
COMPILER   ?= gcc
ifeq ($(COMPILER),gcc)
CC         := gcc
LINK_CC    := gcc
RTLIB      := -lgcc
USE_LD     := -no-pie
LD_QUIET   := -Wl,--no-warn-rwx-segments
else ifeq ($(COMPILER),clang)
CC         := clang --target=i686-pc-none-elf
LINK_CC    := clang --target=i686-linux-gnu # its driver calls ld.lld; none-elf's asks gcc
RTLIB      := $(shell clang --target=i686-linux-gnu --rtlib=compiler-rt -print-libgcc-file-name)
USE_LD     := -fuse-ld=lld      # lld makes no PIE unless asked; clang calls -no-pie unused
LD_QUIET   :=
else
$(error COMPILER is gcc or clang, not $(COMPILER))
endif
OBJCOPY    ?= objcopy
NM         ?= nm
OBJDUMP    ?= objdump

# DEBUG=1 (the default) poisons freed heap memory; benchmarks build with DEBUG=0 into their own BUILD.
DEBUG      ?= 1
WARNINGS   := -Wall -Wextra -Werror
KERNEL_CFLAGS := -std=gnu11 -m32 -march=i686 -ffreestanding -fno-pic -fno-pie \
                 -fno-stack-protector -fno-omit-frame-pointer -fno-optimize-sibling-calls \
                 -mgeneral-regs-only \
                 -fno-strict-aliasing -O2 -g $(WARNINGS) \
                 -DRINGLET_DEBUG=$(DEBUG) -Ikernel -Ikernel/arch/x86/include -I$(GEN) -I. \
                 -MMD -MP
KERNEL_ASFLAGS := -m32 -g -Ikernel -Ikernel/arch/x86/include -I$(GEN) -I. -MMD -MP
KERNEL_LDFLAGS := -m32 -nostdlib -static -Wl,--build-id=none -Wl,-z,noexecstack \
                  $(USE_LD) $(LD_QUIET) -T kernel/arch/x86/kernel.ld

KERNEL_C   := $(wildcard kernel/*.c kernel/lib/*.c kernel/arch/x86/*.c kernel/tests/*.c)
KERNEL_S   := $(wildcard kernel/arch/x86/*.S)
KERNEL_OBJ := $(KERNEL_C:%.c=$(BUILD)/%.o) $(KERNEL_S:%.S=$(BUILD)/%.o) \
              $(BUILD)/kernel/syscall_table.o
KERNEL_ELF := $(BUILD)/kernel/ringlet.elf

# Everything abi/syscalls.tbl drives (tools/ringlet/gen.py writes only files whose text changed;
# the touch keeps make from running it again).
GEN_FILES  := $(GEN)/abi/syscall_numbers.h $(GEN)/kernel/syscall_table.c \
              $(GEN)/kernel/syscall_handlers.h \
              $(GEN)/libsys/syscalls.h $(GEN)/libsys/syscall_stubs.c docs/syscalls.md

# Host builds of the pure C in kernel/lib, with sanitizers, for tests/host.
HOST_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=all $(WARNINGS) -Ikernel -Ikernel/arch/x86/include -MMD -MP
HOST_LIB_C  := $(wildcard kernel/lib/*.c) kernel/arch/x86/pagetable.c
HOST_LIB_OBJ := $(HOST_LIB_C:%.c=$(BUILD)/host/%.o)
HOST_DRIVERS := $(patsubst tests/host/drivers/%.c,$(BUILD)/host/%,$(wildcard tests/host/drivers/*.c))

# libFuzzer builds of the same sources, one program per tests/host/fuzzers/*.c (./ringlet fuzz
# parsers builds them; they need clang and its runtimes, which ringlet installs for that).
FUZZ_CC     ?= clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
               -fno-sanitize-recover=all $(WARNINGS) -Ikernel -Ikernel/arch/x86/include
FUZZERS     := $(patsubst tests/host/fuzzers/%.c,$(BUILD)/fuzzers/%,\
                 $(wildcard tests/host/fuzzers/*.c))

.PHONY: all kernel host user fuzzers clean
all: kernel host user
kernel: $(KERNEL_ELF)
host: $(HOST_DRIVERS)

$(GEN_FILES) &: abi/syscalls.tbl abi/syscalls.status tools/ringlet/gen.py
	python3 tools/ringlet/gen.py abi/syscalls.tbl $(GEN) docs/syscalls.md
	touch $(GEN_FILES)

$(BUILD)/%.o: %.c | $(GEN_FILES)
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S | $(GEN_FILES)
	@mkdir -p $(@D)
	$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

# .incbin files are not in the compiler's dependency lists.
$(BUILD)/kernel/arch/x86/font.o: kernel/fonts/Lat15-Fixed16.psf

$(BUILD)/kernel/syscall_table.o: $(GEN)/kernel/syscall_table.c
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

# Two links (kallsyms-style): the first with an empty symbol table, whose function list
# tools/ringlet/ksyms.py turns into the table the second link holds; `ksyms.py check` proves the
# table moved no function. Every link also writes a symbol listing and a disassembly.
KSYMS      := tools/ringlet/ksyms.py
PASS1_ELF  := $(BUILD)/kernel/ringlet.pass1.elf

$(GEN)/kernel/ksyms_empty.c: $(KSYMS)
	python3 $(KSYMS) table /dev/null $@

$(GEN)/kernel/ksyms_table.c: $(PASS1_ELF) $(KSYMS)
	python3 $(KSYMS) table $(BUILD)/kernel/ringlet.pass1.sym $@

$(BUILD)/kernel/ksyms_%.o: $(GEN)/kernel/ksyms_%.c
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(PASS1_ELF): $(KERNEL_OBJ) $(BUILD)/kernel/ksyms_empty.o kernel/arch/x86/kernel.ld
	@mkdir -p $(@D)
	$(LINK_CC) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJ) $(BUILD)/kernel/ksyms_empty.o $(RTLIB)
	$(NM) -n -S $@ > $(BUILD)/kernel/ringlet.pass1.sym

$(KERNEL_ELF): $(PASS1_ELF) $(BUILD)/kernel/ksyms_table.o
	$(LINK_CC) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJ) $(BUILD)/kernel/ksyms_table.o $(RTLIB)
	$(NM) -n -S $@ > $(BUILD)/kernel/ringlet.final.sym
	python3 $(KSYMS) check $(BUILD)/kernel/ringlet.pass1.sym $(BUILD)/kernel/ringlet.final.sym
	$(NM) -n $@ > $(BUILD)/kernel/ringlet.sym
	$(OBJDUMP) -d -S --no-show-raw-insn $@ > $(BUILD)/kernel/ringlet.dis

$(BUILD)/host/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/host/%: tests/host/drivers/%.c $(HOST_LIB_OBJ)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $< $(HOST_LIB_OBJ)

fuzzers: $(FUZZERS)

$(BUILD)/fuzzers/%: tests/host/fuzzers/%.c tests/host/fuzzers/check.h $(HOST_LIB_C)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(HOST_LIB_C)

clean:
	rm -rf $(BUILD)

# Programs and libsys (USER_ALL, USER_PROGRAMS) are described in user/build.mk.
include user/build.mk
user: $(USER_ALL)

# Only where compilers write: build/ holds other trees too (a whole Debian root for the
# fresh-machine test, whose /etc/rc2.d is not a dependency file).
-include $(shell find $(BUILD)/kernel $(BUILD)/host $(BUILD)/user -name '*.d' -type f 2>/dev/null)
