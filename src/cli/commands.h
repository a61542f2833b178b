/* commands.h — one entry point per `socfeed` subcommand; each lives in its own cmd_*.c file.
 * Each returns the process exit code. argv[0] is the subcommand name. */
#ifndef SOCFEED_CLI_COMMANDS_H
#define SOCFEED_CLI_COMMANDS_H

int cmd_check(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_hunt(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_build(int argc, char **argv);

#endif
