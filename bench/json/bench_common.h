/* bench_common.h — shared plumbing of the JSON reader benchmarks: map a file, time a run, print
 * one result line. Benchmarks only; not part of the library or the tests. */
#ifndef SOCFEED_BENCH_JSON_COMMON_H
#define SOCFEED_BENCH_JSON_COMMON_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *bench_map(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0) {
        perror(path);
        exit(1);
    }
    const char *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    close(fd);
    *len = (size_t)st.st_size;
    return p;
}

static double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bench_report(const char *what, unsigned long long events, size_t bytes, double secs,
                         unsigned long long errors) {
    printf("%-28s %9llu events %8.3f s %10.0f events/s %8.1f MB/s  errors=%llu\n", what, events,
           secs, (double)events / secs, (double)bytes / secs / 1e6, errors);
}

#endif
