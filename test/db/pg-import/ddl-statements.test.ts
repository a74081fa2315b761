/** DDL the reader understands, as pg_dump 15 writes it (examples copied from real dumps of seed.sql). */
import { describe, expect, it } from 'vitest';
import { parseAttachPartition, parseCopyStatement, parseCreateEnum, parseCreateTable, parseSetting } from '../../../db/pg-import/ddl-statements';
import { lexSql } from '../../../db/pg-import/sql-lexer';

describe('DDL statements', () => {
  it('CREATE TABLE with canonical types, quoted names, generated columns and constraints', () => {
    const t = parseCreateTable(`CREATE TABLE extra."Mixed Case ""Quoted"" Table" (
    id integer NOT NULL,
    "select" text,
    "Weird Col" numeric(8,3),
    ts3 timestamp(3) with time zone DEFAULT now(),
    arr double precision[],
    m public.mood,
    doubled numeric(10,2) GENERATED ALWAYS AS ((a * (2)::numeric)) STORED,
    c character varying(40) COLLATE pg_catalog."C",
    CONSTRAINT positive CHECK ((id > 0))
);`)!;
    expect(t.table).toEqual({ schema: 'extra', name: 'Mixed Case "Quoted" Table' });
    expect(t.columns.map((c) => [c.name, c.type, c.generated])).toEqual([
      ['id', 'integer', false],
      ['select', 'text', false],
      ['Weird Col', 'numeric(8,3)', false],
      ['ts3', 'timestamp(3) with time zone', false],
      ['arr', 'double precision[]', false],
      ['m', 'public.mood', false],
      ['doubled', 'numeric(10,2)', true],
      ['c', 'character varying(40)', false],
    ]);
  });

  it('partitioned tables, the old PARTITION OF form, and INHERITS', () => {
    expect(parseCreateTable('CREATE TABLE public.m (\n    a integer\n)\nPARTITION BY RANGE (a);')!.partitioned).toBe(true);
    const old = parseCreateTable("CREATE TABLE public.m_1 PARTITION OF public.m\nFOR VALUES FROM (1) TO (2);")!;
    expect(old.partitionOf).toEqual({ schema: 'public', name: 'm' });
    expect(old.columns).toEqual([]);
    expect(parseCreateTable('CREATE TABLE public.c (\n    x text\n)\nINHERITS (public.p);')!.inherits).toEqual([{ schema: 'public', name: 'p' }]);
    expect(parseCreateTable('CREATE VIEW public.v AS SELECT 1;')).toBeNull();
  });

  it('enums with both quoting cases', () => {
    expect(parseCreateEnum("CREATE TYPE public.mood AS ENUM (\n    'happy',\n    'it''s odd',\n    'sad \"quoted\"'\n);")).toEqual({
      type: { schema: 'public', name: 'mood' },
      labels: ['happy', "it's odd", 'sad "quoted"'],
    });
    expect(parseCreateEnum('CREATE TYPE public.pair AS (a integer, b text);')).toBeNull();
  });

  it('ATTACH PARTITION, COPY and settings', () => {
    expect(parseAttachPartition("ALTER TABLE ONLY public.measurements ATTACH PARTITION public.measurements_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');")).toEqual({
      parent: { schema: 'public', name: 'measurements' },
      child: { schema: 'public', name: 'measurements_2024' },
    });
    expect(parseCopyStatement('COPY "public"."positions" ("id", "select", "Weird Col") FROM stdin;\n')).toEqual({
      table: { schema: 'public', name: 'positions' },
      columns: ['id', 'select', 'Weird Col'],
      fromStdin: true,
    });
    expect(parseCopyStatement('COPY public.t  FROM stdin;')!.columns).toBeNull();
    expect(parseSetting("SET client_encoding = 'LATIN1';")).toEqual({ name: 'client_encoding', value: 'LATIN1' });
    expect(parseSetting("SELECT pg_catalog.set_config('search_path', '', false);")).toEqual({ name: 'search_path', value: '' });
  });

  it('lexes E strings, bit strings, dollar quotes and comments', () => {
    const t = lexSql(`E'a\\tb\\x41\\101\\u00e9' B'1010' $q$x'y$q$ /* c /* d */ */ -- e\n"Q""x" 1.5e+3 ::`);
    expect(t.map((x) => [x.kind, x.value])).toEqual([
      ['string', 'a\tbAAé'],
      ['bitstring', '1010'],
      ['string', "x'y"],
      ['qident', 'Q"x'],
      ['number', '1.5e+3'],
      ['punct', '::'],
    ]);
  });
});
