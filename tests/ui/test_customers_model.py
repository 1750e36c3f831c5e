"""CustomersModel: lazy pages of 200, empty without a profiles table, masked contact details, cleared on demand."""

from __future__ import annotations

from c360_desktop.ui.models.customers import PROFILE_ID_ROLE, CustomersModel

from .conftest import insert_profiles


def test_fetches_in_pages_of_200(qtmodeltester, open_vault):
    insert_profiles(open_vault, 447)  # 450 with the fixture's 3
    model = CustomersModel()
    model.set_vault(open_vault)
    assert model.total == 450
    assert model.rowCount() == 200
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 400
    model.fetchMore()
    assert model.rowCount() == 450
    assert not model.canFetchMore()
    qtmodeltester.check(model)
    ids = [model.data(model.index(r, 0), PROFILE_ID_ROLE) for r in range(model.rowCount())]
    assert ids == sorted(ids) and len(set(ids)) == 450


def test_a_vault_without_profiles_means_an_empty_model(tmp_path, qtmodeltester):
    from c360_desktop.core.vault import Vault

    from .conftest import PASSPHRASE

    vault, _key = Vault.create(tmp_path / "empty.c360", PASSPHRASE)
    try:
        model = CustomersModel()
        model.set_vault(vault)
        assert model.rowCount() == 0 and not model.canFetchMore() and model.total == 0
        qtmodeltester.check(model)
    finally:
        vault.close()


def test_contact_details_are_masked_and_clear_drops_rows(open_vault):
    model = CustomersModel()
    model.set_vault(open_vault)
    assert model.data(model.index(0, 0)) == "Customer 0001"
    email, phone = model.data(model.index(0, 1)), model.data(model.index(0, 2))
    assert "customer1@" not in email and email == "c•••@e•••.com"
    assert "7946" not in phone
    assert model.data(model.index(0, 6)) == "2024-05-02 10:30"
    model.clear()
    assert model.rowCount() == 0 and not model.canFetchMore()

