# The `credit validate-id` and `credit normalize` commands, run end to end.
if(TARGET credit_cli)
  add_test(NAME cli_validate_id_valid
    COMMAND credit_cli validate-id --scheme uscc 914403001922038216 9144030071526726XG)
  set_tests_properties(cli_validate_id_valid PROPERTIES LABELS "normalize;cli"
    PASS_REGULAR_EXPRESSION "\"org_code\":\"71526726X\"")
  # Exit status 1 when a value is invalid.
  add_test(NAME cli_validate_id_invalid
    COMMAND credit_cli validate-id --scheme uscc 914403001922038217)
  set_tests_properties(cli_validate_id_invalid PROPERTIES LABELS "normalize;cli"
    WILL_FAIL TRUE)
  add_test(NAME cli_validate_id_reason
    COMMAND credit_cli validate-id --scheme resident_id 110105491231002)
  set_tests_properties(cli_validate_id_reason PROPERTIES LABELS "normalize;cli"
    PASS_REGULAR_EXPRESSION "\"normalized\":\"11010519491231002X\".*\"date_of_birth\":\"1949-12-31\"")
  add_test(NAME cli_normalize_org_name
    COMMAND credit_cli normalize --type org_name "腾讯计算机系统（深圳）有限公司")
  set_tests_properties(cli_normalize_org_name PROPERTIES LABELS "normalize;cli"
    PASS_REGULAR_EXPRESSION "\"normalized\":\"腾讯计算机系统\".*\"region\":\"深圳市\"")
  add_test(NAME cli_normalize_bad_type COMMAND credit_cli normalize --type colour x)
  set_tests_properties(cli_normalize_bad_type PROPERTIES LABELS "normalize;cli" WILL_FAIL TRUE)
endif()
