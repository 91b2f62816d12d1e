/* tmpguard unit tests: one Check suite per module of the pure core. */
#ifndef CHECK_SUITES_H
#define CHECK_SUITES_H

#include <check.h>

Suite *policy_suite(void);
Suite *names_suite(void);
Suite *reserve_suite(void);
Suite *event_suite(void);
Suite *config_suite(void);
Suite *entropy_suite(void);
Suite *seen_suite(void);
Suite *line_suite(void);
Suite *handshake_suite(void);
Suite *walk_suite(void);
Suite *record_suite(void);

#endif
