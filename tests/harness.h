/* harness.h — the unit-test harness: tests register themselves, main() runs them.
 *
 * Why our own: ~100 lines give the exact closing line CI reads ("N passed, N failed"), run
 * cleanly under ASan (no fork), and keep each test file free of registration boilerplate.
 * Not for: fixtures or mocking; tests build their inputs explicitly. */
#ifndef SOCFEED_TEST_HARNESS_H
#define SOCFEED_TEST_HARNESS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);
void harness_register(const char *name, const char *file, test_fn fn);
void harness_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Path of a file in ../shared (or $SOCFEED_SHARED); returns a static buffer. */
const char *harness_shared(const char *rel);
/* True if the shared folder exists; tests that need it skip (and say so) when it does not. */
bool harness_have_shared(void);
/* Path of a file under tests/fixtures/. */
const char *harness_fixture(const char *rel);

#define TEST(name)                                                        \
    static void test_##name(void);                                        \
    __attribute__((constructor)) static void register_##name(void) {      \
        harness_register(#name, __FILE__, test_##name);                   \
    }                                                                     \
    static void test_##name(void)

#define CHECK(cond)                                                       \
    do {                                                                  \
        if (!(cond)) harness_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                \
    do {                                                                  \
        long long a_ = (long long)(a), b_ = (long long)(b);               \
        if (a_ != b_)                                                     \
            harness_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", #a, a_, #b, b_); \
    } while (0)

#define CHECK_EQ_STR(a, b)                                                \
    do {                                                                  \
        const char *a_ = (a), *b_ = (b);                                  \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                            \
            harness_fail(__FILE__, __LINE__, "%s is \"%s\", expected \"%s\"", #a, \
                         a_ ? a_ : "(null)", b_ ? b_ : "(null)");         \
    } while (0)

#endif
