package dev.runestone.examples.bank;

import dev.runestone.ConcurrencyException;
import dev.runestone.EventValidationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns what the commands refuse into RFC 9457 problem details; in every case nothing was written. */
@RestControllerAdvice
final class ApiErrors {

    /** An event broke its type's schema (an amount of zero, an empty owner): the request was wrong. */
    @ExceptionHandler
    ProblemDetail invalid(EventValidationException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid event");
        problem.setProperty("violations", e.violations());
        return problem;
    }

    /** The account changed since the version the client expected, or kept changing under the command. */
    @ExceptionHandler
    ProblemDetail conflict(ConcurrencyException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Account changed");
        problem.setProperty("expectedVersion", e.expected().toString());
        problem.setProperty("actualVersion", e.actual());
        return problem;
    }

    /** The aggregate's rule: no withdrawal larger than the balance. */
    @ExceptionHandler
    ProblemDetail insufficientFunds(InsufficientFundsException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
        problem.setTitle("Insufficient funds");
        problem.setProperty("balance", e.balance());
        problem.setProperty("amount", e.amount());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail notFound(AccountNotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("No such account");
        return problem;
    }
}
