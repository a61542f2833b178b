/* host_tally_test.c — detections by host: counted per worker, merged, most first, ties by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "hunt/host_tally.h"

TEST(host_tally_counts_merges_and_sorts) {
    host_tally a = {0}, b = {0};
    host_tally_add(&a, "pc1", 3, 1);
    host_tally_add(&a, "pc2xx", 3, 1); /* only the first 3 bytes: "pc2" */
    host_tally_add(&a, "pc1", 3, 1);
    host_tally_add(&a, "", 0, 1);      /* events naming no computer */
    for (int i = 0; i < 100; i++) {    /* enough names to make the table grow */
        char name[16];
        size_t n = (size_t)snprintf(name, sizeof name, "h%03d", i);
        host_tally_add(&b, name, n, 1);
    }
    host_tally_add(&b, "pc2", 3, 4);
    host_tally_merge(&a, &b);
    host_tally_free(&b);
    size_t n = 0;
    socfeed_hunt_host *hosts = host_tally_take_sorted(&a, &n);
    CHECK_EQ_INT(n, 103);
    CHECK_EQ_STR(hosts[0].name, "pc2");
    CHECK_EQ_INT(hosts[0].detections, 5);
    CHECK_EQ_STR(hosts[1].name, "pc1");
    CHECK_EQ_INT(hosts[1].detections, 2);
    CHECK_EQ_STR(hosts[2].name, ""); /* ties (1 each) by name: "" first, then h000 … */
    CHECK_EQ_STR(hosts[3].name, "h000");
    CHECK_EQ_STR(hosts[102].name, "h099");
    CHECK_EQ_INT(a.n, 0);
    for (size_t i = 0; i < n; i++) free(hosts[i].name);
    free(hosts);
    host_tally_free(&a);
}
