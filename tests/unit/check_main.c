/* tmpguard unit tests: the runner. Honours Check's environment variables
 * (CK_FORK, CK_VERBOSITY, CK_TAP_LOG_FILE_NAME, CK_RUN_SUITE ...). */
#include <config.h>

#include <stdlib.h>

#include "check_suites.h"

int main(void)
{
	SRunner *sr = srunner_create(policy_suite());
	srunner_add_suite(sr, names_suite());
	srunner_add_suite(sr, reserve_suite());
	srunner_add_suite(sr, event_suite());
	srunner_add_suite(sr, config_suite());
	srunner_add_suite(sr, entropy_suite());
	srunner_add_suite(sr, seen_suite());
	srunner_add_suite(sr, line_suite());
	srunner_add_suite(sr, handshake_suite());
	srunner_add_suite(sr, walk_suite());
	srunner_add_suite(sr, record_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
