# socfeed — plain Makefile + pkg-config.  `make` builds libsocfeed.a and bin/socfeed.
# `make test` installs what it needs, then runs every test (plain and under ASan+UBSan).

CC      ?= cc
PKGS    := yaml-0.1 libpcre2-8 libhs zlib icu-uc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CSTD    := -std=c17 -D_GNU_SOURCE
OPT     ?= -O2 -g
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) -Iinclude -Isrc $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lpthread -lm $(EXTRA_LDFLAGS)

# BUILD selects the output tree so the sanitizer build never mixes objects with the plain one.
BUILD   ?= build
LIB_SRC  := $(shell find src -name '*.c' ! -path 'src/cli/*' | sort)
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(shell find tests -name '*.c' ! -path 'tests/fuzz/*' | sort)
# Data files compiled in (tools/embed.c): every file under data/ except its READMEs.
DATA_FILES := $(shell find data -type f ! -name '*.md' | LC_ALL=C sort)
DATA_OBJ := $(BUILD)/gen/embedded_data.o
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(DATA_OBJ)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libsocfeed.a

.PHONY: all deps test check-asan unit demo bench clean fuzz

all: $(LIB) bin/socfeed

# The plain build puts the tool at bin/socfeed; other builds keep theirs inside their tree.
bin/socfeed: $(BUILD)/socfeed
	@mkdir -p bin
	cp $< $@

libsocfeed.a: $(LIB)
	cp $< $@

$(BUILD)/socfeed: $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS_ALL)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/unit: $(TEST_OBJ) $(LIB)
	$(CC) $(CFLAGS_ALL) -o $@ $(TEST_OBJ) $(LIB) $(LDLIBS_ALL)

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -O1 -o $@ $<

$(BUILD)/gen/embedded_data.c: $(BUILD)/tools/embed $(DATA_FILES) Makefile
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed data/ $(DATA_FILES) >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/embedded_data.o: $(BUILD)/gen/embedded_data.c
	$(CC) $(CFLAGS_ALL) -Wno-overlength-strings -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests -MMD -MP -c -o $@ $<

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

deps:
	@sh scripts/install-deps.sh

unit: $(BUILD)/tests/unit $(BUILD)/socfeed

# Sanitizer build: same sources, separate tree.
# GCC leaves float-cast-overflow out of "undefined" (clang, which builds the fuzzers, has it in): a
# double outside long's range converted to long is undefined behaviour all the same.
ASAN_FLAGS := -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all
check-asan: deps
	$(MAKE) BUILD=build-asan OPT="-O1 -g" EXTRA_CFLAGS="$(ASAN_FLAGS)" EXTRA_LDFLAGS="$(ASAN_FLAGS)" unit
	SOCFEED_BIN=build-asan/socfeed sh tests/run-all.sh build-asan/tests/unit

# ThreadSanitizer build of the tool only, for tests/tsan/threads.sh (the paths that run threads).
TSAN_FLAGS := -fsanitize=thread
test: deps
	$(MAKE) all libsocfeed.a unit
	$(MAKE) BUILD=build-asan OPT="-O1 -g" EXTRA_CFLAGS="$(ASAN_FLAGS)" EXTRA_LDFLAGS="$(ASAN_FLAGS)" unit
	$(MAKE) BUILD=build-tsan OPT="-O1 -g" EXTRA_CFLAGS="$(TSAN_FLAGS)" EXTRA_LDFLAGS="$(TSAN_FLAGS)" build-tsan/socfeed
	TSAN_BIN=build-tsan/socfeed sh tests/run-all.sh build/tests/unit build-asan/tests/unit

demo: deps
	$(MAKE) all
	sh scripts/demo.sh

# Fuzzing: every harness for FUZZ_SECONDS each (default 60); `make test` runs a short smoke run.
FUZZ_SECONDS ?= 60
fuzz: deps
	sh tests/fuzz/run.sh $(FUZZ_SECONDS)

bench: deps all
	sh bench/run-all.sh

clean:
	rm -rf build build-asan build-tsan build-fuzz bin libsocfeed.a
