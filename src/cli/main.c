/* main.c — the `socfeed` tool: dispatches to a subcommand. All real work lives in the library. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "socfeed/version.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"check", cmd_check, "load and validate Sigma rules (file:line:col diagnostics)"},
    {"convert", cmd_convert, "Sigma -> KQL for sentinel-asim, defender-xdr, azure-monitor (or a reason why not)"},
    {"hunt", cmd_hunt, "run rules over EVTX / JSON / JSON Lines logs, one line per detection"},
    {"test", cmd_test, "run SigmaHQ regression tests (rules with regression_tests_path)"},
    {"verify", cmd_verify, "prove each rule's KQL finds, on normalized sample events, what the Sigma rule finds"},
    {"dump", cmd_dump, "print events (EVTX, JSON, JSON Lines) as the engine sees them"},
    {"build", cmd_build, "generate the SOC feed: static site, coverage and exports"},
};

static void usage(FILE *out) {
    fprintf(out, "usage: socfeed COMMAND [OPTIONS] ...\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'socfeed COMMAND --help' describes a command's options.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("socfeed %s\n", SOCFEED_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "socfeed: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
