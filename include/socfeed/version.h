/* socfeed/version.h — the library's version. */
#ifndef SOCFEED_VERSION_H
#define SOCFEED_VERSION_H
#define SOCFEED_VERSION "0.1.0"
#endif
