package com.example.accounts;

import com.example.accounts.versions.AccountOpenedV1;
import com.example.accounts.versions.AccountOpenedV2;
import com.example.accounts.versions.AccountRenamedV1;

/**
 * Brings stored account events up to today's records, written the way a project using the generated code would write
 * it: one method per step of each type with versions, each checked by the compiler.
 */
public final class AccountUpcasters implements AccountEventUpcasters {

    /** Version 1 held the holder's full name in one string; version 2 splits it. */
    @Override
    public AccountOpenedV2 fromV1(AccountOpenedV1 event) {
        String[] names = event.data().holder().split(" ", 2);
        return new AccountOpenedV2(
                new AccountOpenedV2.Data(new AccountOpenedV2.Data.Holder(names[0], names.length > 1 ? names[1] : "")),
                new AccountOpenedV2.Meta(event.meta().auditor()));
    }

    /** Version 3 added the currency; every account opened before it was in euros. */
    @Override
    public AccountOpened fromV2(AccountOpenedV2 event) {
        AccountOpenedV2.Data.Holder holder = event.data().holder();
        return new AccountOpened(
                new AccountOpened.Data(new AccountOpened.Data.Holder(holder.given(), holder.family()),
                        AccountOpened.Data.Currency.EUR),
                new AccountOpened.Meta(event.meta().auditor()));
    }

    /** Version 1 held the new name alone; version 2 says who renamed it, which no one knows for old events. */
    @Override
    public AccountRenamed fromV1(AccountRenamedV1 event) {
        return new AccountRenamed(new AccountRenamed.Data(event.data(), null));
    }
}
