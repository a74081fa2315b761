CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`user_key` text NOT NULL,
	`email` text,
	`full_name` text,
	`is_active` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text,
	CONSTRAINT "users_is_active_bool" CHECK("users"."is_active" IN (0, 1))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_user_key_uq` ON `users` (`user_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_uq` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `equity_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`portfolio_id` text NOT NULL,
	`change_type` text NOT NULL,
	`amount` real NOT NULL,
	`change_date` text NOT NULL,
	`notes` text,
	`created_by_user_id` text,
	`created_at` text,
	`updated_at` text,
	`deleted_at` text,
	FOREIGN KEY (`portfolio_id`) REFERENCES `portfolios`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "equity_changes_type_in" CHECK("equity_changes"."change_type" IN ('CONTRIBUTION', 'WITHDRAWAL')),
	CONSTRAINT "equity_changes_amount_nonneg" CHECK("equity_changes"."amount" >= 0)
);
--> statement-breakpoint
CREATE INDEX `equity_changes_portfolio_date_idx` ON `equity_changes` (`portfolio_id`,`change_date`);--> statement-breakpoint
CREATE TABLE `portfolios` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`account_name` text NOT NULL,
	`account_type` text DEFAULT 'taxable' NOT NULL,
	`is_active` integer DEFAULT 1 NOT NULL,
	`description` text,
	`currency` text DEFAULT 'USD' NOT NULL,
	`equity_balance` real,
	`initial_equity` real,
	`created_at` text NOT NULL,
	`updated_at` text,
	`deleted_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "portfolios_is_active_bool" CHECK("portfolios"."is_active" IN (0, 1)),
	CONSTRAINT "portfolios_currency_len" CHECK(length("portfolios"."currency") = 3)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `portfolios_user_account_uq` ON `portfolios` (`user_id`,`account_name`);--> statement-breakpoint
CREATE INDEX `portfolios_deleted_at_idx` ON `portfolios` (`deleted_at`);--> statement-breakpoint
CREATE INDEX `portfolios_user_id_idx` ON `portfolios` (`user_id`);--> statement-breakpoint
CREATE TABLE `position_realized_events` (
	`id` text PRIMARY KEY NOT NULL,
	`position_id` text NOT NULL,
	`portfolio_id` text NOT NULL,
	`trade_date` text NOT NULL,
	`quantity_closed` real NOT NULL,
	`realized_pnl` real NOT NULL,
	`exit_price` real,
	`created_at` text NOT NULL,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`portfolio_id`) REFERENCES `portfolios`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "realized_events_quantity_positive" CHECK("position_realized_events"."quantity_closed" > 0)
);
--> statement-breakpoint
CREATE INDEX `realized_events_portfolio_date_idx` ON `position_realized_events` (`portfolio_id`,`trade_date`);--> statement-breakpoint
CREATE INDEX `realized_events_position_date_idx` ON `position_realized_events` (`position_id`,`trade_date`);--> statement-breakpoint
CREATE TABLE `positions` (
	`id` text PRIMARY KEY NOT NULL,
	`portfolio_id` text NOT NULL,
	`symbol` text NOT NULL,
	`position_type` text NOT NULL,
	`quantity` real NOT NULL,
	`entry_price` real NOT NULL,
	`entry_date` text NOT NULL,
	`exit_price` real,
	`exit_date` text,
	`underlying_symbol` text,
	`strike_price` real,
	`expiration_date` text,
	`investment_class` text NOT NULL,
	`investment_subtype` text,
	`realized_pnl` real,
	`notes` text,
	`created_at` text,
	`updated_at` text,
	`deleted_at` text,
	`last_price` real,
	`market_value` real,
	`unrealized_pnl` real,
	`price_date` text,
	`price_source` text,
	`marked_as_of` text,
	FOREIGN KEY (`portfolio_id`) REFERENCES `portfolios`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "positions_position_type_in" CHECK("positions"."position_type" IN ('LC', 'LP', 'SC', 'SP', 'LONG', 'SHORT')),
	CONSTRAINT "positions_investment_class_in" CHECK("positions"."investment_class" IN ('PUBLIC', 'OPTIONS', 'PRIVATE')),
	CONSTRAINT "positions_price_source_in" CHECK("positions"."price_source" IN ('exact', 'fallback', 'model', 'entry', 'missing')),
	CONSTRAINT "positions_entry_price_nonneg" CHECK("positions"."entry_price" >= 0)
);
--> statement-breakpoint
CREATE INDEX `positions_portfolio_deleted_idx` ON `positions` (`portfolio_id`,`deleted_at`);--> statement-breakpoint
CREATE INDEX `positions_symbol_idx` ON `positions` (`symbol`);--> statement-breakpoint
CREATE INDEX `positions_exit_date_idx` ON `positions` (`exit_date`);--> statement-breakpoint
CREATE INDEX `positions_class_subtype_idx` ON `positions` (`investment_class`,`investment_subtype`);--> statement-breakpoint
CREATE TABLE `company_profiles` (
	`symbol` text PRIMARY KEY NOT NULL,
	`company_name` text,
	`sector` text,
	`industry` text,
	`exchange` text,
	`country` text,
	`market_cap` real,
	`description` text,
	`is_etf` integer,
	`is_fund` integer,
	`beta` real,
	`pe_ratio` real,
	`forward_pe` real,
	`dividend_yield` real,
	`week_52_high` real,
	`week_52_low` real,
	`employees` integer,
	`website` text,
	`data_source` text NOT NULL,
	`last_updated` text NOT NULL,
	`created_at` text,
	`updated_at` text,
	CONSTRAINT "company_profiles_is_etf_bool" CHECK("company_profiles"."is_etf" IN (0, 1)),
	CONSTRAINT "company_profiles_is_fund_bool" CHECK("company_profiles"."is_fund" IN (0, 1)),
	CONSTRAINT "company_profiles_description_len" CHECK("company_profiles"."description" IS NULL OR length("company_profiles"."description") <= 1000)
);
--> statement-breakpoint
CREATE TABLE `market_data_cache` (
	`id` text PRIMARY KEY NOT NULL,
	`symbol` text NOT NULL,
	`date` text NOT NULL,
	`open` real,
	`high` real,
	`low` real,
	`close` real NOT NULL,
	`volume` integer,
	`sector` text,
	`industry` text,
	`exchange` text,
	`country` text,
	`market_cap` real,
	`data_source` text NOT NULL,
	`validation_flag` text,
	`created_at` text,
	`updated_at` text,
	CONSTRAINT "market_data_cache_close_positive" CHECK("market_data_cache"."close" > 0),
	CONSTRAINT "market_data_cache_flag_in" CHECK("market_data_cache"."validation_flag" IN ('jump'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `market_data_cache_symbol_date_uq` ON `market_data_cache` (`symbol`,`date`);--> statement-breakpoint
CREATE INDEX `market_data_cache_date_idx` ON `market_data_cache` (`date`);--> statement-breakpoint
CREATE TABLE `market_data_fetch_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`symbol` text NOT NULL,
	`provider` text NOT NULL,
	`range_start` text NOT NULL,
	`range_end` text NOT NULL,
	`requested_at` text NOT NULL,
	`outcome` text NOT NULL,
	`rows_returned` integer,
	`first_trade_date` text,
	`error` text,
	`run_id` text,
	CONSTRAINT "market_data_fetch_log_provider_in" CHECK("market_data_fetch_log"."provider" IN ('yahoo', 'csv', 'synthetic')),
	CONSTRAINT "market_data_fetch_log_outcome_in" CHECK("market_data_fetch_log"."outcome" IN ('ok', 'no_data', 'rate_limited', 'provider_error', 'invalid'))
);
--> statement-breakpoint
CREATE INDEX `market_data_fetch_log_symbol_end_idx` ON `market_data_fetch_log` (`symbol`,`range_end`);--> statement-breakpoint
CREATE TABLE `missing_prices` (
	`price_date` text NOT NULL,
	`symbol` text NOT NULL,
	`reason` text NOT NULL,
	`resolution` text NOT NULL,
	`fallback_price_date` text,
	`last_known_price_date` text,
	`provider` text,
	`detail` text,
	`positions_affected` integer NOT NULL,
	`portfolios_affected` integer NOT NULL,
	`run_id` text,
	`recorded_at` text NOT NULL,
	PRIMARY KEY(`price_date`, `symbol`),
	CONSTRAINT "missing_prices_reason_in" CHECK("missing_prices"."reason" IN ('no_data', 'provider_error', 'rate_limited', 'stale_beyond_fallback', 'invalid_price', 'not_listed_yet')),
	CONSTRAINT "missing_prices_resolution_in" CHECK("missing_prices"."resolution" IN ('fallback', 'missing'))
);
--> statement-breakpoint
CREATE TABLE `benchmarks_sector_weights` (
	`id` text PRIMARY KEY NOT NULL,
	`benchmark_code` text NOT NULL,
	`asof_date` text NOT NULL,
	`sector` text NOT NULL,
	`weight` real NOT NULL,
	`market_cap` real,
	`num_constituents` integer,
	`data_source` text,
	`created_at` text,
	`updated_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `benchmarks_sector_weights_uq` ON `benchmarks_sector_weights` (`benchmark_code`,`asof_date`,`sector`);--> statement-breakpoint
CREATE TABLE `factor_definitions` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`factor_type` text,
	`calculation_method` text,
	`etf_proxy` text,
	`display_order` integer,
	`is_active` integer DEFAULT 1 NOT NULL,
	`created_at` text,
	`updated_at` text,
	CONSTRAINT "factor_definitions_type_in" CHECK("factor_definitions"."factor_type" IN ('market', 'style', 'macro', 'sector')),
	CONSTRAINT "factor_definitions_is_active_bool" CHECK("factor_definitions"."is_active" IN (0, 1))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `factor_definitions_name_uq` ON `factor_definitions` (`name`);--> statement-breakpoint
CREATE TABLE `stress_test_scenarios` (
	`id` text PRIMARY KEY NOT NULL,
	`scenario_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`category` text,
	`severity` text,
	`shock_config` text NOT NULL,
	`active` integer NOT NULL,
	`category_key` text,
	`period_start` text,
	`period_end` text,
	`created_at` text,
	`updated_at` text,
	CONSTRAINT "stress_test_scenarios_shock_config_json" CHECK("stress_test_scenarios"."shock_config" IS NULL OR json_valid("stress_test_scenarios"."shock_config")),
	CONSTRAINT "stress_test_scenarios_active_bool" CHECK("stress_test_scenarios"."active" IN (0, 1))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stress_test_scenarios_scenario_id_uq` ON `stress_test_scenarios` (`scenario_id`);--> statement-breakpoint
CREATE TABLE `position_tags` (
	`id` text PRIMARY KEY NOT NULL,
	`position_id` text NOT NULL,
	`tag_id` text NOT NULL,
	`assigned_at` text NOT NULL,
	`assigned_by` text,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags_v2`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assigned_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `position_tags_position_tag_uq` ON `position_tags` (`position_id`,`tag_id`);--> statement-breakpoint
CREATE TABLE `tags_v2` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`color` text DEFAULT '#4A90E2' NOT NULL,
	`description` text,
	`display_order` integer DEFAULT 0,
	`usage_count` integer DEFAULT 0,
	`is_archived` integer DEFAULT 0 NOT NULL,
	`archived_at` text,
	`archived_by` text,
	`created_at` text,
	`updated_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`archived_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "tags_v2_is_archived_bool" CHECK("tags_v2"."is_archived" IN (0, 1)),
	CONSTRAINT "tags_v2_name_len" CHECK(length("tags_v2"."name") <= 50),
	CONSTRAINT "tags_v2_color_hex" CHECK("tags_v2"."color" GLOB '#[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]')
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_v2_user_name_archived_uq` ON `tags_v2` (`user_id`,`name`,`is_archived`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text,
	CONSTRAINT "settings_value_json" CHECK("settings"."value" IS NULL OR json_valid("settings"."value"))
);
--> statement-breakpoint
CREATE TABLE `synthetic_truth` (
	`symbol` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`value` real NOT NULL,
	`seed` integer NOT NULL,
	`profile` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`symbol`, `kind`, `name`),
	CONSTRAINT "synthetic_truth_kind_in" CHECK("synthetic_truth"."kind" IN ('loading', 'implied_beta', 'alpha', 'idio_vol', 'anchor', 'shape'))
);
--> statement-breakpoint
CREATE TABLE `position_marks` (
	`position_id` text NOT NULL,
	`portfolio_id` text NOT NULL,
	`mark_date` text NOT NULL,
	`is_active` integer NOT NULL,
	`quantity` real NOT NULL,
	`multiplier` integer NOT NULL,
	`price` real,
	`price_date` text,
	`price_source` text NOT NULL,
	`market_value` real,
	`cost_basis` real,
	`unrealized_pnl` real,
	`prev_price` real,
	`prev_price_date` text,
	`prev_basis` text,
	`closed_quantity` real DEFAULT 0 NOT NULL,
	`closing_pnl` real DEFAULT 0 NOT NULL,
	`daily_pnl` real NOT NULL,
	`underlying_price` real,
	`underlying_price_date` text,
	`implied_vol` real,
	`risk_free_rate` real,
	`time_to_expiry` real,
	`delta` real,
	`gamma` real,
	`theta` real,
	`vega` real,
	`flags` text,
	`run_id` text,
	`computed_at` text NOT NULL,
	PRIMARY KEY(`mark_date`, `position_id`),
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`portfolio_id`) REFERENCES `portfolios`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "position_marks_is_active_bool" CHECK("position_marks"."is_active" IN (0, 1)),
	CONSTRAINT "position_marks_price_source_in" CHECK("position_marks"."price_source" IN ('exact', 'fallback', 'model', 'entry', 'missing')),
	CONSTRAINT "position_marks_prev_basis_in" CHECK("position_marks"."prev_basis" IN ('mark', 'entry', 'baseline', 'none')),
	CONSTRAINT "position_marks_flags_json" CHECK("position_marks"."flags" IS NULL OR json_valid("position_marks"."flags"))
);
--> statement-breakpoint
CREATE INDEX `position_marks_portfolio_date_idx` ON `position_marks` (`portfolio_id`,`mark_date`);--> statement-breakpoint
CREATE TABLE `portfolio_snapshots` (
	`id` text PRIMARY KEY NOT NULL,
	`portfolio_id` text NOT NULL,
	`snapshot_date` text NOT NULL,
	`total_value` real NOT NULL,
	`cash_value` real NOT NULL,
	`long_value` real NOT NULL,
	`short_value` real NOT NULL,
	`gross_exposure` real NOT NULL,
	`net_exposure` real NOT NULL,
	`daily_pnl` real,
	`daily_return` real,
	`cumulative_pnl` real,
	`cumulative_pnl_raw` real,
	`daily_realized_pnl` real,
	`cumulative_realized_pnl` real,
	`daily_capital_flow` real,
	`cumulative_capital_flow` real,
	`portfolio_delta` real,
	`portfolio_gamma` real,
	`portfolio_theta` real,
	`portfolio_vega` real,
	`num_positions` integer NOT NULL,
	`num_long_positions` integer NOT NULL,
	`num_short_positions` integer NOT NULL,
	`num_unmarked_positions` integer DEFAULT 0 NOT NULL,
	`equity_balance` real,
	`is_baseline` integer DEFAULT 0 NOT NULL,
	`is_complete` integer DEFAULT 1 NOT NULL,
	`run_id` text,
	`computed_at` text,
	`created_at` text NOT NULL,
	`realized_volatility_21d` real,
	`realized_volatility_63d` real,
	`expected_volatility_21d` real,
	`volatility_trend` text,
	`volatility_percentile` real,
	`beta_calculated_90d` real,
	`beta_calculated_90d_r_squared` real,
	`beta_calculated_90d_observations` integer,
	`beta_provider_1y` real,
	`beta_portfolio_regression` real,
	`sector_exposure` text,
	`hhi` real,
	`effective_num_positions` real,
	`top_3_concentration` real,
	`top_10_concentration` real,
	`analytics_computed_at` text,
	FOREIGN KEY (`portfolio_id`) REFERENCES `portfolios`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "portfolio_snapshots_is_baseline_bool" CHECK("portfolio_snapshots"."is_baseline" IN (0, 1)),
	CONSTRAINT "portfolio_snapshots_is_complete_bool" CHECK("portfolio_snapshots"."is_complete" IN (0, 1)),
	CONSTRAINT "portfolio_snapshots_vol_trend_in" CHECK("portfolio_snapshots"."volatility_trend" IN ('increasing', 'decreasing', 'stable')),
	CONSTRAINT "portfolio_snapshots_sector_exposure_json" CHECK("portfolio_snapshots"."sector_exposure" IS NULL OR json_valid("portfolio_snapshots"."sector_exposure"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `portfolio_snapshots_portfolio_date_uq` ON `portfolio_snapshots` (`portfolio_id`,`snapshot_date`);--> statement-breakpoint
CREATE INDEX `portfolio_snapshots_date_idx` ON `portfolio_snapshots` (`snapshot_date`);--> statement-breakpoint
CREATE TABLE `correlation_calculations` (
	`id` text PRIMARY KEY NOT NULL,
	`portfolio_id` text NOT NULL,
	`duration_days` integer NOT NULL,
	`calculation_date` text NOT NULL,
	`overall_correlation` real,
	`correlation_concentration_score` real,
	`effective_positions` real,
	`data_quality` text,
	`min_position_value` real,
	`min_portfolio_weight` real,
	`filter_mode` text DEFAULT 'both',
	`correlation_threshold` real DEFAULT 0.7,
	`positions_included` integer,
	`positions_excluded` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`portfolio_id`) REFERENCES `portfolios`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `correlation_calculations_uq` ON `correlation_calculations` (`calculation_date`,`portfolio_id`,`duration_days`);--> statement-breakpoint
CREATE TABLE `factor_exposures` (
	`id` text PRIMARY KEY NOT NULL,
	`portfolio_id` text NOT NULL,
	`factor_id` text NOT NULL,
	`calculation_date` text NOT NULL,
	`exposure_value` real NOT NULL,
	`exposure_dollar` real,
	`coverage` real,
	`created_at` text,
	`updated_at` text,
	FOREIGN KEY (`portfolio_id`) REFERENCES `portfolios`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`factor_id`) REFERENCES `factor_definitions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `factor_exposures_uq` ON `factor_exposures` (`calculation_date`,`portfolio_id`,`factor_id`);--> statement-breakpoint
CREATE INDEX `factor_exposures_portfolio_date_idx` ON `factor_exposures` (`portfolio_id`,`calculation_date`);--> statement-breakpoint
CREATE TABLE `pairwise_correlations` (
	`id` text PRIMARY KEY NOT NULL,
	`correlation_calculation_id` text NOT NULL,
	`symbol_1` text NOT NULL,
	`symbol_2` text NOT NULL,
	`correlation_value` real NOT NULL,
	`data_points` integer,
	`statistical_significance` real,
	FOREIGN KEY (`correlation_calculation_id`) REFERENCES `correlation_calculations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pairwise_correlations_uq` ON `pairwise_correlations` (`correlation_calculation_id`,`symbol_1`,`symbol_2`);--> statement-breakpoint
CREATE TABLE `position_factor_exposures` (
	`id` text PRIMARY KEY NOT NULL,
	`position_id` text NOT NULL,
	`factor_id` text NOT NULL,
	`calculation_date` text NOT NULL,
	`exposure_value` real NOT NULL,
	`quality_flag` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`factor_id`) REFERENCES `factor_definitions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `position_factor_exposures_uq` ON `position_factor_exposures` (`calculation_date`,`position_id`,`factor_id`);--> statement-breakpoint
CREATE TABLE `position_interest_rate_betas` (
	`id` text PRIMARY KEY NOT NULL,
	`portfolio_id` text NOT NULL,
	`position_id` text NOT NULL,
	`ir_beta` real NOT NULL,
	`r_squared` real,
	`calculation_date` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`portfolio_id`) REFERENCES `portfolios`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `position_interest_rate_betas_uq` ON `position_interest_rate_betas` (`calculation_date`,`position_id`);--> statement-breakpoint
CREATE TABLE `position_market_betas` (
	`id` text PRIMARY KEY NOT NULL,
	`portfolio_id` text NOT NULL,
	`position_id` text NOT NULL,
	`calc_date` text NOT NULL,
	`beta` real NOT NULL,
	`alpha` real,
	`r_squared` real,
	`std_error` real,
	`p_value` real,
	`observations` integer,
	`window_days` integer DEFAULT 90 NOT NULL,
	`method` text DEFAULT 'OLS_SIMPLE' NOT NULL,
	`market_index` text DEFAULT 'SPY' NOT NULL,
	`created_at` text,
	`updated_at` text,
	FOREIGN KEY (`portfolio_id`) REFERENCES `portfolios`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `position_market_betas_uq` ON `position_market_betas` (`calc_date`,`portfolio_id`,`position_id`,`method`,`window_days`);--> statement-breakpoint
CREATE TABLE `position_volatility` (
	`id` text PRIMARY KEY NOT NULL,
	`position_id` text NOT NULL,
	`calculation_date` text NOT NULL,
	`realized_vol_21d` real,
	`realized_vol_63d` real,
	`vol_daily` real,
	`vol_weekly` real,
	`vol_monthly` real,
	`expected_vol_21d` real,
	`vol_trend` text,
	`vol_trend_strength` real,
	`vol_percentile` real,
	`observations` integer,
	`model_r_squared` real,
	`created_at` text,
	`updated_at` text,
	FOREIGN KEY (`position_id`) REFERENCES `positions`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "position_volatility_trend_in" CHECK("position_volatility"."vol_trend" IN ('increasing', 'decreasing', 'stable'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `position_volatility_uq` ON `position_volatility` (`calculation_date`,`position_id`);--> statement-breakpoint
CREATE TABLE `stress_test_results` (
	`id` text PRIMARY KEY NOT NULL,
	`portfolio_id` text NOT NULL,
	`scenario_id` text NOT NULL,
	`calculation_date` text NOT NULL,
	`direct_pnl` real,
	`correlated_pnl` real,
	`correlation_effect` real,
	`factor_impacts` text,
	`calculation_metadata` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`portfolio_id`) REFERENCES `portfolios`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`scenario_id`) REFERENCES `stress_test_scenarios`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "stress_test_results_factor_impacts_json" CHECK("stress_test_results"."factor_impacts" IS NULL OR json_valid("stress_test_results"."factor_impacts")),
	CONSTRAINT "stress_test_results_metadata_json" CHECK("stress_test_results"."calculation_metadata" IS NULL OR json_valid("stress_test_results"."calculation_metadata"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stress_test_results_uq` ON `stress_test_results` (`calculation_date`,`portfolio_id`,`scenario_id`);--> statement-breakpoint
CREATE INDEX `stress_test_results_scenario_idx` ON `stress_test_results` (`scenario_id`);--> statement-breakpoint
CREATE TABLE `symbol_factor_exposures` (
	`id` text PRIMARY KEY NOT NULL,
	`symbol` text NOT NULL,
	`factor_id` text NOT NULL,
	`calculation_date` text NOT NULL,
	`beta_value` real NOT NULL,
	`r_squared` real,
	`observations` integer,
	`quality_flag` text,
	`calculation_method` text,
	`regularization_alpha` real,
	`regression_window_days` integer,
	`alpha` real,
	`std_error` real,
	`p_value` real,
	`created_at` text NOT NULL,
	FOREIGN KEY (`factor_id`) REFERENCES `factor_definitions`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "symbol_factor_exposures_method_in" CHECK("symbol_factor_exposures"."calculation_method" IN ('ridge_regression', 'spread_regression', 'ols_market', 'ols_ir', 'provider'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `symbol_factor_exposures_uq` ON `symbol_factor_exposures` (`calculation_date`,`symbol`,`factor_id`);--> statement-breakpoint
CREATE TABLE `batch_run_history` (
	`id` text PRIMARY KEY NOT NULL,
	`batch_run_id` text NOT NULL,
	`triggered_by` text,
	`started_at` text NOT NULL,
	`completed_at` text,
	`status` text,
	`total_jobs` integer,
	`completed_jobs` integer,
	`failed_jobs` integer,
	`phase_durations` text,
	`error_summary` text,
	`portfolio_id` text,
	`activity_log` text,
	`created_at` text NOT NULL,
	`mode` text,
	`options` text,
	`summary` text,
	`heartbeat_at` text,
	`host` text,
	`pid` integer,
	`app_version` text,
	CONSTRAINT "batch_run_history_mode_in" CHECK("batch_run_history"."mode" IN ('normal', 'monitor', 'retry', 'resume', 'rebuild')),
	CONSTRAINT "batch_run_history_phase_durations_json" CHECK("batch_run_history"."phase_durations" IS NULL OR json_valid("batch_run_history"."phase_durations")),
	CONSTRAINT "batch_run_history_error_summary_json" CHECK("batch_run_history"."error_summary" IS NULL OR json_valid("batch_run_history"."error_summary")),
	CONSTRAINT "batch_run_history_activity_log_json" CHECK("batch_run_history"."activity_log" IS NULL OR json_valid("batch_run_history"."activity_log")),
	CONSTRAINT "batch_run_history_options_json" CHECK("batch_run_history"."options" IS NULL OR json_valid("batch_run_history"."options")),
	CONSTRAINT "batch_run_history_summary_json" CHECK("batch_run_history"."summary" IS NULL OR json_valid("batch_run_history"."summary"))
);
--> statement-breakpoint
CREATE INDEX `batch_run_history_batch_run_id_idx` ON `batch_run_history` (`batch_run_id`);--> statement-breakpoint
CREATE TABLE `batch_run_tracking` (
	`id` text PRIMARY KEY NOT NULL,
	`run_date` text NOT NULL,
	`phase_1_status` text,
	`phase_2_status` text,
	`phase_3_status` text,
	`phase_1_duration_seconds` integer,
	`phase_2_duration_seconds` integer,
	`phase_3_duration_seconds` integer,
	`portfolios_processed` integer,
	`symbols_fetched` integer,
	`data_coverage_pct` real,
	`error_message` text,
	`completed_at` text,
	`created_at` text NOT NULL,
	`run_id` text,
	`status` text,
	`phase_status` text,
	`metadata` text,
	`started_at` text,
	`updated_at` text,
	CONSTRAINT "batch_run_tracking_status_in" CHECK("batch_run_tracking"."status" IN ('running', 'success', 'partial', 'failed', 'stale', 'imported')),
	CONSTRAINT "batch_run_tracking_phase_status_json" CHECK("batch_run_tracking"."phase_status" IS NULL OR json_valid("batch_run_tracking"."phase_status")),
	CONSTRAINT "batch_run_tracking_metadata_json" CHECK("batch_run_tracking"."metadata" IS NULL OR json_valid("batch_run_tracking"."metadata"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `batch_run_tracking_run_date_uq` ON `batch_run_tracking` (`run_date`);--> statement-breakpoint
CREATE TABLE `maintenance_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`operation` text NOT NULL,
	`started_at` text,
	`completed_at` text,
	`status` text,
	`details` text,
	`run_id` text,
	CONSTRAINT "maintenance_log_operation_in" CHECK("maintenance_log"."operation" IN ('backup', 'restore', 'purge', 'import', 'rebuild', 'gate')),
	CONSTRAINT "maintenance_log_status_in" CHECK("maintenance_log"."status" IN ('success', 'failed', 'cancelled')),
	CONSTRAINT "maintenance_log_details_json" CHECK("maintenance_log"."details" IS NULL OR json_valid("maintenance_log"."details"))
);
--> statement-breakpoint
CREATE TABLE `run_lock` (
	`id` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`run_id` text,
	`holder` text NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`acquired_at` text NOT NULL,
	`heartbeat_at` text NOT NULL,
	`cancel_requested` integer DEFAULT 0 NOT NULL,
	`cancel_requested_at` text,
	CONSTRAINT "run_lock_single_row" CHECK("run_lock"."id" = 1),
	CONSTRAINT "run_lock_kind_in" CHECK("run_lock"."kind" IN ('run', 'rebuild', 'purge', 'restore', 'import')),
	CONSTRAINT "run_lock_holder_in" CHECK("run_lock"."holder" IN ('cli', 'app', 'serve')),
	CONSTRAINT "run_lock_cancel_requested_bool" CHECK("run_lock"."cancel_requested" IN (0, 1))
);
