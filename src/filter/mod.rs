//! The device-filter rule language: lexer, parser, AST, catalogue, diagnostics, format, eval.
