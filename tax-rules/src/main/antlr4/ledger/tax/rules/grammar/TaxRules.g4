// Grammar of the tax rule language; the language itself is described in docs/tax-rules.md.
// The parser only builds a parse tree: names, types, cycles and limits are checked afterwards
// by ledger.tax.rules.Checker, which reports file, line and column for every problem.
grammar TaxRules;
// The Java package comes from the directory (antlr4-maven-plugin), ledger.tax.rules.grammar.


file
    : header declaration* EOF
    ;

header
    : 'pack' name=STRING 'version' version=STRING ';'
      'jurisdiction' jurisdiction=STRING ';'
      'valid' 'from' from=DATE ('to' to=DATE)? ';'
      ('source' sources+=STRING ';')*
    ;

declaration
    : enumDecl
    | inputDecl
    | constDecl
    | tableDecl
    | valueDecl
    ;

enumDecl
    : 'enum' name=IDENT '{' members+=IDENT (',' members+=IDENT)* '}'
    ;

inputDecl
    : 'input' name=IDENT ':' type doc=STRING?
      ('in' low=expr '..' high=expr)?
      ('default' fallback=expr)? ';'
    ;

constDecl
    : 'const' name=IDENT ':' type doc=STRING? '=' expr ';'
    ;

tableDecl
    : 'table' name=IDENT ':' kind=('progressive' | 'marginal') type doc=STRING? '{' row+ '}'
    ;

row
    : ('up' 'to' bound=expr | above='above') ':' rowPart (',' rowPart)* ';'
    ;

rowPart
    : field=('rate' | 'deduct' | 'add') expr
    ;

valueDecl
    : kind=('value' | 'output') name=IDENT ':' type doc=STRING?
      ( '=' body=expr ';'
      | '{' ruleClause+ ('otherwise' otherwise=expr ';')? '}'
      )
    ;

ruleClause
    : 'rule' label=IDENT 'priority' priority=NUMBER ':' 'when' condition=expr 'then' result=expr ';'
    ;

type
    : 'money' '[' currency=IDENT ']'   # moneyType
    | 'decimal'                        # decimalType
    | 'integer'                        # integerType
    | 'date'                           # dateType
    | 'boolean'                        # booleanType
    | IDENT                            # enumType
    ;

expr
    : '(' expr ')'                                            # paren
    | op=('-' | 'not') expr                                   # unary
    | left=expr op=('*' | '/') right=expr                     # binary
    | left=expr op=('+' | '-') right=expr                     # binary
    | left=expr op=('<' | '<=' | '>' | '>=' | '==' | '!=') right=expr  # binary
    | left=expr op='and' right=expr                           # binary
    | left=expr op='or' right=expr                            # binary
    | 'if' condition=expr 'then' whenTrue=expr 'else' whenFalse=expr   # ifExpr
    | 'round' '(' operand=expr ',' rounding=roundingMode ',' unit=expr ')'   # round
    | fn=IDENT '(' expr (',' expr)* ')'                       # call
    | enumName=IDENT '.' member=IDENT                         # enumLiteral
    | IDENT                                                   # reference
    | NUMBER currency=IDENT                                   # moneyLiteral
    | NUMBER '%'                                              # percentLiteral
    | NUMBER                                                  # numberLiteral
    | DATE                                                    # dateLiteral
    | literal=('true' | 'false')                                # booleanLiteral
    ;

roundingMode
    : 'up' | 'down' | 'half_up' | 'half_down' | 'half_even' | 'ceiling' | 'floor'
    ;

DATE    : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT ;
NUMBER  : DIGIT+ ('_' DIGIT+)* ('.' DIGIT+ ('_' DIGIT+)*)? ;
STRING  : '"' (~["\\\r\n] | '\\' ["\\])* '"' ;
IDENT   : [a-zA-Z_] [a-zA-Z_0-9]* ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n\u000C]+ -> skip ;

// Anything else is reported by the lexer with its position instead of being dropped.
UNEXPECTED : . ;

fragment DIGIT : [0-9] ;
