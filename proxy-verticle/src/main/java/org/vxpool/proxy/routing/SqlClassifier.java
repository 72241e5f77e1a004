package org.vxpool.proxy.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Classifies SQL for routing: splits a query string into statements and gives each a
 * {@link StatementKind}. Immutable and thread-safe; build one per configuration.
 *
 * <p>Anything not recognised is {@link StatementKind#UNKNOWN}, which routes to the primary: a
 * statement sent to the primary by mistake costs balance, one sent to a standby by mistake gives a
 * client an error or a stale answer.
 */
public final class SqlClassifier {

    /** vxpool's and pgpool's own SHOW commands. */
    static final Set<String> POOL_SHOW = Set.of("pool_nodes", "pool_status", "pool_version", "pool_processes",
            "pool_pools", "pool_backend_stats", "pool_health_check_stats", "pool_cache");

    private static final Set<String> DDL_AND_MAINTENANCE = Set.of("alter", "drop", "grant", "revoke", "comment",
            "vacuum", "analyze", "analyse", "cluster", "reindex", "refresh", "lock", "security", "import",
            "reassign", "call", "do", "checkpoint", "notify", "listen", "unlisten", "insert", "update", "delete",
            "merge", "truncate");

    /** pgpool's hint: a query starting with this comment goes to the primary even when it reads. */
    static final String NO_LOAD_BALANCE = "/*NO LOAD BALANCE*/";

    private static final String SELECT_INTO_TEMP = "SELECT ... INTO TEMP creates a temporary table";

    private static final Set<String> DATA_MODIFYING = Set.of("insert", "update", "delete", "merge");

    private final FunctionCalls functions;
    private final List<Pattern> primaryRoutingPatterns;

    public SqlClassifier(List<Pattern> writeFunctions, List<Pattern> readOnlyFunctions,
            List<Pattern> primaryRoutingPatterns) {
        this.functions = new FunctionCalls(writeFunctions, readOnlyFunctions);
        this.primaryRoutingPatterns = List.copyOf(primaryRoutingPatterns);
    }

    /** A classifier with no function lists and no primary routing patterns. */
    public static SqlClassifier defaults() {
        return new SqlClassifier(List.of(), List.of(), List.of());
    }

    public static SqlClassifier from(RoutingSettings settings) {
        return new SqlClassifier(settings.writeFunctions(), settings.readOnlyFunctions(),
                settings.primaryRoutingPatterns());
    }

    /** Classifies with {@code standard_conforming_strings = on}, PostgreSQL's default since 9.1. */
    public Classification classify(String sql) {
        return classify(sql, true);
    }

    public Classification classify(String sql, boolean standardConformingStrings) {
        List<LexedStatement> lexed = SqlLexer.lex(sql, standardConformingStrings);
        boolean wholeMatches = matchesPrimaryPattern(sql.strip());
        boolean noLoadBalance = sql.stripLeading().startsWith(NO_LOAD_BALANCE);
        List<ClassifiedStatement> out = new ArrayList<>(lexed.size());
        for (LexedStatement s : lexed) {
            Draft d = s.unterminated()
                    ? new Draft(StatementKind.UNKNOWN, "unterminated quote or comment")
                    : classify(s, 0);
            if (d.kind == StatementKind.READ && (wholeMatches || matchesPrimaryPattern(s.text())
                    || matchesPrimaryPattern(s.text() + ";"))) {
                d.kind(StatementKind.WRITE, "matches primary_routing_query_pattern_list");
            } else if (d.kind == StatementKind.READ && noLoadBalance) {
                d.kind(StatementKind.PRIMARY_ONLY, NO_LOAD_BALANCE + " comment");
            }
            out.add(d.build(s));
        }
        return new Classification(out);
    }

    /**
     * Classifies the text of an extended-protocol Parse, which PostgreSQL allows to hold at most one
     * statement. An empty text is a read (it only yields EmptyQueryResponse); several statements
     * are UNKNOWN, so the primary gives the client PostgreSQL's own error.
     */
    public ClassifiedStatement classifyParse(String sql) {
        Classification c = classify(sql);
        return switch (c.statements().size()) {
            case 0 -> ClassifiedStatement.of(StatementKind.READ, "empty query", sql);
            case 1 -> c.single();
            default -> ClassifiedStatement.of(StatementKind.UNKNOWN, "several statements in one Parse", sql);
        };
    }

    /**
     * Whether only semicolons and white space follow {@code from} in {@code sql}: a text that ends
     * there holds one statement. For the screens that skip lexing ({@link LiteralShape} and
     * transaction pooling's).
     */
    public static boolean onlyTrailing(String sql, int from) {
        for (int j = from; j < sql.length(); j++) {
            char c = sql.charAt(j);
            if (c != ';' && !Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a statement's numeric literals never change its classification here (see
     * {@link LiteralShape} for why they do not in the lexer's rules): false when
     * primary_routing_query_pattern_list may match on them.
     */
    boolean literalsIrrelevant() {
        return primaryRoutingPatterns.isEmpty();
    }

    private boolean matchesPrimaryPattern(String text) {
        for (Pattern p : primaryRoutingPatterns) {
            if (p.matcher(text).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Classifies the statement whose first token is at {@code from} (EXPLAIN and PREPARE recurse). */
    Draft classify(LexedStatement s, int from) {
        int i = from;
        while (i < s.size() && s.get(i).isPunct("(")) {
            i++;
        }
        String w = s.word(i);
        Draft d = switch (w) {
            case "select", "values", "table", "with" -> query(s, i);
            case "show" -> show(s, i);
            case "explain" -> explain(s, i);
            case "copy" -> copy(s, i);
            case "create" -> create(s, i);
            case "prepare" -> prepare(s, i);
            case "execute" -> execute(s, i);
            case "deallocate" -> deallocate(s, i);
            case "set" -> from == 0 ? TxSyntax.set(s) : unknown(w);
            case "reset" -> TxSyntax.reset(s);
            case "discard" -> discard(s, i);
            case "load" -> new Draft(StatementKind.SESSION_SET, "LOAD");
            case "begin" -> s.word(i + 1).equals("atomic") ? unknown(w) : TxSyntax.begin(s, i + 1);
            case "start" -> s.word(i + 1).equals("transaction") ? TxSyntax.begin(s, i + 2) : unknown(w);
            case "commit", "end", "rollback", "abort" -> TxSyntax.end(s);
            case "savepoint", "release" -> new Draft(StatementKind.SAVEPOINT, w.toUpperCase());
            case "declare", "fetch", "move", "close" -> new Draft(StatementKind.PRIMARY_ONLY,
                    "cursors are used where they were declared: the primary");
            case "pgpool" -> pgpool(s, i);
            default -> DDL_AND_MAINTENANCE.contains(w) ? new Draft(StatementKind.WRITE, w.toUpperCase()) : unknown(w);
        };
        if (d.kind == StatementKind.WRITE || d.kind == StatementKind.READ) {
            TableRefs.collect(s, d);
        }
        return d;
    }

    private static Draft unknown(String w) {
        return new Draft(StatementKind.UNKNOWN, w.isEmpty() ? "not a statement" : "unrecognised: " + w);
    }

    /** SELECT / VALUES / TABLE / WITH: a read unless something in it writes or locks. */
    private Draft query(LexedStatement s, int i) {
        Draft d = new Draft(StatementKind.READ, "read");
        Optional<String> write = writeInQuery(s, i);
        d.temporary = write.filter(SELECT_INTO_TEMP::equals).isPresent();
        if (write.isPresent()) {
            return d.kind(StatementKind.WRITE, write.get());
        }
        StatementKind setting = FunctionCalls.setConfigKind(s);
        return setting == null ? d : d.kind(setting, "set_config() changes a setting");
    }

    private Optional<String> writeInQuery(LexedStatement s, int from) {
        boolean hasWith = TokenScan.hasWord(s, from, "with");
        for (int i = from; i < s.size(); i++) {
            String w = s.word(i);
            if (w.equals("for") && lockingClause(s, i + 1)) {
                return Optional.of("SELECT ... FOR " + s.word(i + 1).toUpperCase() + " locks rows");
            }
            if (w.equals("into") && !s.word(i - 1).equals("insert") && !s.word(i - 1).equals("merge")) {
                boolean temp = s.word(i + 1).equals("temp") || s.word(i + 1).equals("temporary");
                return Optional.of(temp ? SELECT_INTO_TEMP : "SELECT ... INTO creates a table");
            }
            if (hasWith && DATA_MODIFYING.contains(w) && !s.word(i - 1).equals("for")
                    && !s.word(i - 1).equals("key") && !s.word(i - 1).equals("no")) {
                return Optional.of("WITH containing " + w.toUpperCase());
            }
        }
        return functions.firstWritingCall(s);
    }

    private static boolean lockingClause(LexedStatement s, int i) {
        return s.word(i).equals("update") || s.word(i).equals("share")
                || TokenScan.wordsAt(s, i, "no", "key", "update") || TokenScan.wordsAt(s, i, "key", "share");
    }

    private static Draft show(LexedStatement s, int i) {
        String what = s.word(i + 1);
        if (POOL_SHOW.contains(what)) {
            Draft d = new Draft(StatementKind.SHOW_POOL, "SHOW " + what);
            d.name = what;
            return d;
        }
        return new Draft(StatementKind.READ, "SHOW");
    }

    private static Draft pgpool(LexedStatement s, int i) {
        String verb = s.word(i + 1);
        if (verb.equals("show") || verb.equals("set") || verb.equals("reset")) {
            Draft d = new Draft(StatementKind.SHOW_POOL, "PGPOOL " + verb.toUpperCase());
            d.name = "pgpool " + verb;
            return d;
        }
        return unknown("pgpool " + verb);
    }

    /** EXPLAIN runs its statement only with ANALYZE; without it, planning a write is a read. */
    private Draft explain(LexedStatement s, int i) {
        int j = i + 1;
        boolean analyze = false;
        if (j < s.size() && s.get(j).isPunct("(")) {
            int close = TokenScan.matchingClose(s, j);
            if (close < 0) {
                return unknown("explain");
            }
            analyze = explainOptionsAnalyze(s, j + 1, close);
            j = close + 1;
        } else {
            while (Set.of("analyze", "analyse", "verbose").contains(s.word(j))) {
                analyze |= !s.word(j).equals("verbose");
                j++;
            }
        }
        Draft inner = classify(s, j);
        if (!analyze) {
            // EXPLAIN EXECUTE needs the prepared statement, which may exist on the primary only.
            boolean explainable = inner.kind == StatementKind.READ || inner.kind == StatementKind.WRITE;
            return explainable ? new Draft(StatementKind.READ, "EXPLAIN without ANALYZE") : inner;
        }
        return inner.kind(inner.kind, "EXPLAIN ANALYZE: " + inner.reason);
    }

    private static boolean explainOptionsAnalyze(LexedStatement s, int from, int close) {
        for (int k = from; k < close; k++) {
            String w = s.word(k);
            if ((w.equals("analyze") || w.equals("analyse")) && (k == from || s.get(k - 1).isPunct(","))) {
                String v = k + 1 < close ? s.get(k + 1).text().toLowerCase() : "";
                return !(v.equals("false") || v.equals("off") || v.equals("0") || v.equals("'off'")
                        || v.equals("'false'"));
            }
        }
        return false;
    }

    /** COPY ... FROM writes; COPY ... TO reads (its query may still write). */
    private Draft copy(LexedStatement s, int i) {
        int fromAt = TokenScan.indexOfWordAtTop(s, i + 1, "from");
        if (fromAt > 0) {
            return new Draft(StatementKind.WRITE, "COPY FROM");
        }
        Draft d = query(s, i + 1);
        if (d.kind == StatementKind.READ && s.get(i + 1).isPunct("(")
                && DATA_MODIFYING.stream().anyMatch(w -> TokenScan.hasWord(s, i + 2, w))) {
            d.kind(StatementKind.WRITE, "COPY of a data-modifying query");
        }
        if (s.get(i + 1).isIdentifier()) {
            d.read.add(s.get(i + 1).text());
        }
        return d.kind == StatementKind.READ ? d.kind(StatementKind.READ, "COPY TO") : d;
    }

    /** CREATE; a temporary table, view or sequence is recorded so later reads of it go to the primary. */
    private static Draft create(LexedStatement s, int i) {
        for (int j = i + 1; j < Math.min(s.size(), i + 5); j++) {
            String w = s.word(j);
            if (w.equals("temp") || w.equals("temporary")) {
                Draft d = new Draft(StatementKind.WRITE, "temporary objects live on the primary");
                d.temporary = true;
                int k = j + 1;
                while (Set.of("recursive", "view", "sequence", "table", "if", "not", "exists").contains(s.word(k))) {
                    k++;
                }
                TableRefs.name(s, k, d.written);
                return d;
            }
        }
        return new Draft(StatementKind.WRITE, "CREATE");
    }

    /** PREPARE name [(types)] AS statement; PREPARE TRANSACTION ends the transaction for 2PC. */
    private Draft prepare(LexedStatement s, int i) {
        if (s.word(i + 1).equals("transaction")) {
            return new Draft(StatementKind.TX_END, "PREPARE TRANSACTION");
        }
        if (i + 1 >= s.size() || !s.get(i + 1).isIdentifier()) {
            return unknown("prepare");
        }
        int as = TokenScan.indexOfWordAtTop(s, i + 2, "as");
        Draft inner = as < 0 ? unknown("prepare") : classify(s, as + 1);
        Draft d = inner.kind == StatementKind.READ
                ? new Draft(StatementKind.SESSION_SET, "PREPARE of a read")
                : new Draft(StatementKind.WRITE, "PREPARE of a write: " + inner.reason);
        d.prepared = PreparedOp.PREPARE;
        d.name = s.get(i + 1).text();
        return d;
    }

    private static Draft execute(LexedStatement s, int i) {
        if (i + 1 >= s.size() || !s.get(i + 1).isIdentifier()) {
            return unknown("execute");
        }
        Draft d = new Draft(StatementKind.EXECUTE, "EXECUTE");
        d.name = s.get(i + 1).text();
        return d;
    }

    private static Draft deallocate(LexedStatement s, int i) {
        int j = s.word(i + 1).equals("prepare") ? i + 2 : i + 1;
        Draft d = new Draft(StatementKind.SESSION_SET, "DEALLOCATE");
        if (s.word(j).equals("all")) {
            d.prepared = PreparedOp.DEALLOCATE_ALL;
        } else if (j < s.size() && s.get(j).isIdentifier()) {
            d.prepared = PreparedOp.DEALLOCATE;
            d.name = s.get(j).text();
        } else {
            return unknown("deallocate");
        }
        return d;
    }

    private static Draft discard(LexedStatement s, int i) {
        Draft d = new Draft(StatementKind.SESSION_SET, "DISCARD");
        d.temporary = Set.of("all", "temp", "temporary").contains(s.word(i + 1));
        if (s.word(i + 1).equals("all")) {
            d.prepared = PreparedOp.DEALLOCATE_ALL;
            d.access = TxAccess.READ_WRITE;
            d.isolation = Isolation.READ_COMMITTED;
        }
        return d;
    }
}
