int unused_accounts_test;
